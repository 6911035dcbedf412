import { chmod, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import {
  flowRecords,
  makeContext,
  makeTempDir,
  openDestination,
  readAll,
  writeAll,
  type TempDir,
} from './test-support.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await dir.remove();
});

const text = (name: string) => readFile(dir.file(name), 'utf8');

describe('file destination: CSV', () => {
  it('writes a header and one line per record, quoting only where needed', async () => {
    const ctx = makeContext(dir.path);
    const outcomes = await writeAll({ path: 'out.csv' }, ctx, [
      { id: 1, name: 'Smith, Ann', note: 'said "hi"', when: new Date('2024-01-02T03:04:05Z') },
      { id: 2, name: 'Bob', note: null, when: undefined, tags: ['x'] },
      { id: 3, name: 'multi\nline', note: { a: 1 }, when: '' },
    ]);
    expect(await text('out.csv')).toBe(
      'id,name,note,when\n' +
        '1,"Smith, Ann","said ""hi""",2024-01-02T03:04:05.000Z\n' +
        '2,Bob,,\n' +
        '3,"multi\nline","{""a"":1}",\n',
    );
    // The line each record starts on; the third one spans two lines.
    expect(outcomes).toEqual([
      { status: 'created', targetKey: '2' },
      { status: 'created', targetKey: '3' },
      { status: 'created', targetKey: '4' },
    ]);
    expect(ctx.warnings).toEqual([
      'out.csv: fields tags are not among the columns (taken from the first record or the existing header) and are ' +
        'not written; set columns to choose them',
    ]);
  });

  it('honours columns, delimiter, header: false and CRLF line endings', async () => {
    const ctx = makeContext(dir.path);
    await writeAll({ path: 'o.csv', columns: ['b', 'a'], delimiter: ';', header: false, lineEnding: '\r\n' }, ctx, [
      { a: 1, b: 'x;y', c: 'dropped' },
      { a: 2 },
    ]);
    expect(await text('o.csv')).toBe('"x;y";1\r\n;2\r\n');
    expect(ctx.warnings).toEqual([]);
    await writeAll({ path: 't.tsv' }, ctx, [{ a: 'x\ty', b: 1 }]);
    expect(await text('t.tsv')).toBe('a\tb\n"x\ty"\t1\n');
  });

  it('fails only the record that cannot be written', async () => {
    const cyclic: Record<string, unknown> = { id: 2 };
    cyclic.self = cyclic;
    const outcomes = await writeAll({ path: 'f.csv', columns: ['id', 'self'] }, makeContext(dir.path), [
      { id: 1, self: 'ok' },
      cyclic,
      { id: 3, self: 'ok' },
    ]);
    expect(outcomes[0]).toEqual({ status: 'created', targetKey: '2' });
    expect(outcomes[1]).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^cannot write the record: .*circular/i),
    });
    expect(outcomes[2]).toEqual({ status: 'created', targetKey: '3' });
    expect(await text('f.csv')).toBe('id,self\n1,ok\n3,ok\n');
  });

  it('replaces the target only on close({ok:true}); ok:false leaves it byte-identical and no temp file', async () => {
    const old = Buffer.from('old,bytes\r\n1,2 \u00e9', 'latin1');
    await writeFile(dir.file('t.csv'), old);
    await chmod(dir.file('t.csv'), 0o640);
    const ctx = makeContext(dir.path);

    const failing = await openDestination({ path: 't.csv' }, ctx);
    expect(failing.transactional).toBe(true);
    await failing.write(flowRecords([{ a: 1 }, { a: 2 }]), { dryRun: false, signal: ctx.signal });
    const during = await readdir(dir.path);
    expect(during).toHaveLength(2); // the target and the temp file being written beside it
    expect(during.find((n) => n !== 't.csv')).toMatch(/^\.t\.csv\..*\.tmp$/);
    expect(await readFile(dir.file('t.csv'))).toEqual(old);
    await failing.close({ ok: false, dryRun: false });
    expect(await readFile(dir.file('t.csv'))).toEqual(old);
    expect(await readdir(dir.path)).toEqual(['t.csv']);

    const succeeding = await openDestination({ path: 't.csv' }, ctx);
    await succeeding.write(flowRecords([{ a: 1 }]), { dryRun: false, signal: ctx.signal });
    await succeeding.close({ ok: true, dryRun: false });
    expect(await text('t.csv')).toBe('a\n1\n');
    expect(await readdir(dir.path)).toEqual(['t.csv']);
    expect((await stat(dir.file('t.csv'))).mode & 0o777).toBe(0o640);
  });

  it('writes an empty source as a header-only (or empty) file, and creates missing folders', async () => {
    const ctx = makeContext(dir.path);
    await writeAll({ path: 'sub/dir/h.csv', columns: ['a', 'b'] }, ctx, []);
    expect(await text('sub/dir/h.csv')).toBe('a,b\n');
    await writeFile(dir.file('e.csv'), 'stale\n');
    await writeAll({ path: 'e.csv' }, ctx, []);
    expect(await text('e.csv')).toBe('');
  });

  it('appends without a header, in the existing header order, numbering lines after the existing ones', async () => {
    await writeFile(dir.file('a.csv'), 'id,name\n1,"x\ny"\n2,b');
    const ctx = makeContext(dir.path);
    const outcomes = await writeAll({ path: 'a.csv', mode: 'append' }, ctx, [
      { name: 'c', id: 3 },
      { id: 4, name: 'd', extra: true },
    ]);
    expect(await text('a.csv')).toBe('id,name\n1,"x\ny"\n2,b\n3,c\n4,d\n');
    expect(outcomes.map((o) => (o.status === 'created' ? o.targetKey : o.status))).toEqual(['5', '6']);
    expect(await readdir(dir.path)).toEqual(['a.csv']);
  });

  it('appends to a missing or empty file with a header, and refuses columns that contradict the header', async () => {
    const ctx = makeContext(dir.path);
    await writeAll({ path: 'new.csv', mode: 'append' }, ctx, [{ a: 1 }]);
    await writeAll({ path: 'new.csv', mode: 'append' }, ctx, [{ a: 2 }]);
    expect(await text('new.csv')).toBe('a\n1\n2\n');
    await writeFile(dir.file('empty.csv'), '');
    await writeAll({ path: 'empty.csv', mode: 'append' }, ctx, [{ a: 1 }]);
    expect(await text('empty.csv')).toBe('a\n1\n');

    const error = await writeAll({ path: 'new.csv', mode: 'append', columns: ['b'] }, ctx, [{ b: 1 }]).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/columns \(b\) differ from the header of new.csv \(a\)/);
    expect(await text('new.csv')).toBe('a\n1\n2\n');
  });

  it('append with close({ok:false}) or with no records leaves the file as it was', async () => {
    await writeFile(dir.file('k.csv'), 'a\n1');
    const ctx = makeContext(dir.path);
    await writeAll({ path: 'k.csv', mode: 'append' }, ctx, [{ a: 2 }], { ok: false });
    await writeAll({ path: 'k.csv', mode: 'append' }, ctx, []);
    expect(await text('k.csv')).toBe('a\n1');
    expect(await readdir(dir.path)).toEqual(['k.csv']);
  });

  it('dry run creates and touches nothing, but reports the outcomes a real run would', async () => {
    await mkdir(dir.file('sub'));
    await writeFile(dir.file('sub/existing.csv'), 'a\n1\n');
    const before = await snapshot();
    const ctx = makeContext(dir.path);
    const rows = [{ a: 2 }, { a: 3 }];
    const created = await writeAll({ path: 'new/out.csv' }, ctx, rows, { dryRun: true });
    const appended = await writeAll({ path: 'sub/existing.csv', mode: 'append' }, ctx, rows, { dryRun: true });
    const replaced = await writeAll({ path: 'sub/existing.csv' }, ctx, rows, { dryRun: true });
    expect(created.map((o) => o.status === 'created' && o.targetKey)).toEqual(['2', '3']);
    expect(appended.map((o) => o.status === 'created' && o.targetKey)).toEqual(['3', '4']);
    expect(replaced.map((o) => o.status === 'created' && o.targetKey)).toEqual(['2', '3']);
    expect(await snapshot()).toEqual(before);
  });

  it('encodes windows-1252 and UTF-16LE (with a BOM), and reads them back', async () => {
    const ctx = makeContext(dir.path);
    const rows = [{ name: 'Café', price: '€5', quote: '“fancy”' }];
    await writeAll({ path: 'w.csv', encoding: 'windows-1252' }, ctx, [...rows, { name: '東京', price: '', quote: '' }]);
    const bytes = await readFile(dir.file('w.csv'));
    expect(bytes.subarray(bytes.indexOf('\n') + 1, bytes.indexOf('\n') + 5)).toEqual(
      Buffer.from([0x43, 0x61, 0x66, 0xe9]),
    );
    expect(bytes.includes(0x80)).toBe(true);
    const back = await readAll({ path: 'w.csv', encoding: 'windows-1252' }, ctx);
    expect(back.records).toEqual([...rows, { name: '??', price: '', quote: '' }]);

    await writeAll({ path: 'u.csv', encoding: 'utf-16le' }, ctx, rows);
    const u16 = await readFile(dir.file('u.csv'));
    expect([...u16.subarray(0, 4)]).toEqual([0xff, 0xfe, 0x6e, 0x00]); // BOM, then "n"
    expect((await readAll({ path: 'u.csv', encoding: 'utf-16le' }, ctx)).records).toEqual(rows);

    await writeAll({ path: 'u.csv', encoding: 'utf-16le', mode: 'append' }, ctx, rows);
    const appended = await readFile(dir.file('u.csv'));
    expect(appended.lastIndexOf(Buffer.from([0xff, 0xfe]))).toBe(0); // no second BOM mid-file
    expect((await readAll({ path: 'u.csv', encoding: 'utf-16le' }, ctx)).records).toEqual([...rows, ...rows]);
  });

  it('round-trips read → write → read to the same records', async () => {
    const source =
      'id,name,notes,empty\r\n' +
      '1,"Smith, Ann","line1\nline2",\r\n' +
      '2,"say ""hi""",Zoë 😀 東京,\r\n' +
      '3, padded ,"a,b;c\td",""\r\n';
    await writeFile(dir.file('in.csv'), source);
    const ctx = makeContext(dir.path);
    const first = await readAll({ path: 'in.csv' }, ctx);
    for (const config of [
      { path: 'out.csv' },
      { path: 'out.csv', delimiter: ';', lineEnding: '\r\n' },
      { path: 'out.tsv' },
      { path: 'out.csv', encoding: 'utf-16le' },
      { path: 'out.jsonl' },
    ]) {
      await writeAll(config, ctx, first.records);
      const second = await readAll(config, ctx);
      expect(second.failures).toEqual([]);
      expect(second.records).toEqual(first.records);
    }
  });

  it('rejects a folder as the target and stops on an aborted signal', async () => {
    await mkdir(dir.file('folder.csv'));
    const ctx = makeContext(dir.path);
    await expect(openDestination({ path: 'folder.csv' }, ctx)).rejects.toBeInstanceOf(ConfigError);
    const controller = new AbortController();
    const writer = await openDestination({ path: 'x.csv' }, ctx);
    controller.abort();
    await expect(
      writer.write(flowRecords([{ a: 1 }]), { dryRun: false, signal: controller.signal }),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    await writer.close({ ok: false, dryRun: false });
    expect(await readdir(dir.path)).toEqual(['folder.csv']);
  });
});

/** Names, sizes and modification times of everything under the temp dir. */
async function snapshot(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir.path, { recursive: true })) {
    const info = await stat(dir.file(entry));
    out[entry] = `${info.isDirectory() ? 'dir' : info.size}@${info.mtimeMs}`;
  }
  return out;
}
