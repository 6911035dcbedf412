import { writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { CHUNK_SIZE } from './text-io.js';
import { makeContext, makeTempDir, openSource, readAll, readPages, type TempDir } from './test-support.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await dir.remove();
});

async function csv(name: string, content: string | Buffer): Promise<string> {
  await writeFile(dir.file(name), content);
  return name;
}

describe('file source: CSV', () => {
  it('reads records keyed by the header, with RFC 4180 quoting, relative to the workspace', async () => {
    const path = await csv(
      'people.csv',
      'id,name,notes\r\n1,"Smith, Ann","said ""hi""\r\ntwice"\r\n\r\n2,Bob,\r\n3,"Zoë 😀",plain',
    );
    const { records, failures } = await readAll({ path }, makeContext(dir.path));
    expect(failures).toEqual([]);
    expect(records).toEqual([
      { id: '1', name: 'Smith, Ann', notes: 'said "hi"\r\ntwice' },
      { id: '2', name: 'Bob', notes: '' },
      { id: '3', name: 'Zoë 😀', notes: 'plain' },
    ]);
  });

  it('takes any header text as a plain field name, and names blank header cells', async () => {
    const path = await csv('odd.csv', '__proto__,"we""ird\\n`${x}`",constructor,"a\nb",10,\n1,2,3,4,5,6\n');
    const [record] = (await readAll({ path }, makeContext(dir.path))).records;
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record!)).toEqual(['10', '__proto__', 'we"ird\\n`${x}`', 'constructor', 'a\nb', 'column6']);
    expect(Object.entries(record!)).toContainEqual(['__proto__', '1']);
    expect(record!['we"ird\\n`${x}`']).toBe('2');
    expect(record!.constructor).toBe('3');
  });

  it('reads an absolute path, a .tsv with tabs, and a configured delimiter', async () => {
    await csv('t.tsv', 'a\tb\n1\t"x\ty"\n');
    await csv('s.txt', 'a;b\n1;2\n');
    const ctx = makeContext('/nonexistent-workspace');
    expect((await readAll({ path: dir.file('t.tsv') }, ctx)).records).toEqual([{ a: '1', b: 'x\ty' }]);
    const semicolon = await readAll({ path: dir.file('s.txt'), format: 'csv', delimiter: ';' }, ctx);
    expect(semicolon.records).toEqual([{ a: '1', b: '2' }]);
    const tab = await readAll({ path: dir.file('t.tsv'), delimiter: '\\t' }, ctx);
    expect(tab.records).toHaveLength(1);
  });

  it('names fields from columns or column1… when there is no header, and can rename a header', async () => {
    const path = await csv('n.csv', '1,Ann\n2,Bob\n');
    const ctx = makeContext(dir.path);
    expect((await readAll({ path, header: false }, ctx)).records).toEqual([
      { column1: '1', column2: 'Ann' },
      { column1: '2', column2: 'Bob' },
    ]);
    expect((await readAll({ path, header: false, columns: ['id', 'name'] }, ctx)).records[1]).toEqual({
      id: '2',
      name: 'Bob',
    });
    expect((await readAll({ path, columns: ['id', 'name'] }, ctx)).records).toEqual([{ id: '2', name: 'Bob' }]);
  });

  it('turns a row with the wrong number of fields into a failure naming the row', async () => {
    const path = await csv('r.csv', 'id,name,qty\n1,a,1\n2,b\n3,c,3,extra\n\n4,d,4\n');
    const { records, failures } = await readAll({ path, key: 'id' }, makeContext(dir.path));
    expect(records.map((r) => r.id)).toEqual(['1', '4']);
    expect(failures).toEqual([
      { key: '2', error: 'row 2 (line 3): expected 3 fields, got 2' },
      { key: '3', error: 'row 3 (line 4): expected 3 fields, got 4' },
    ]);
    const unkeyed = await readAll({ path }, makeContext(dir.path));
    expect(unkeyed.failures.map((f) => f.key)).toEqual(['#2', '#3']);
  });

  it('keys records by their row number when no key column is set, so lineage matches the messages', async () => {
    const path = await csv('rows.csv', 'sku,price\nA,1\nB,oops\nC,3\n');
    const pages = await readPages({ path, types: { price: 'number' } }, makeContext(dir.path));
    expect(pages).toEqual([
      {
        records: [
          { sku: 'A', price: 1 },
          { sku: 'C', price: 3 },
        ],
        keys: ['#1', '#3'],
        failures: [{ key: '#2', error: 'row 2, column price: expected a number, got "oops"' }],
      },
    ]);
    const keyed = await readPages({ path: 'rows.csv', key: 'sku' }, makeContext(dir.path));
    expect(keyed[0]?.keys).toBeUndefined();
  });

  it('converts typed columns; an invalid value fails its row and the rest continues', async () => {
    const rows = ['sku,price,qty,active,day,at'];
    for (let i = 1; i <= 20; i++) rows.push(`S${i},${i}.5,${i},true,2024-01-${String(i).padStart(2, '0')},`);
    rows[17] = 'S17,abc,17,yes,2024-01-17,2024-01-17 10:00';
    rows[18] = 'S18,,1.5,maybe,2024-02-30,';
    const path = await csv('typed.csv', rows.join('\n'));
    const types = { price: 'number', qty: 'integer', active: 'boolean', day: 'date', at: 'datetime' };
    const { records, failures } = await readAll({ path, types }, makeContext(dir.path));
    expect(records).toHaveLength(18);
    expect(records[0]).toEqual({ sku: 'S1', price: 1.5, qty: 1, active: true, day: '2024-01-01', at: null });
    expect(failures).toEqual([
      { key: '#17', error: 'row 17, column price: expected a number, got "abc"' },
      {
        key: '#18',
        error:
          'row 18, column qty: expected an integer, got "1.5"; column active: expected a boolean (true/false), ' +
          'got "maybe"; column day: expected a date (YYYY-MM-DD), got "2024-02-30"',
      },
    ]);
  });

  it('uses the key field for failure keys and as the reader keyField, and reports the delta field', async () => {
    const path = await csv('k.csv', 'sku,price,updated\nA-1,x,3\n');
    const ctx = makeContext(dir.path);
    const config = { path, key: 'sku', types: { price: 'number' }, deltaField: 'updated', deltaOrdered: true };
    const reader = await openSource(config, ctx);
    expect(reader.keyField).toBe('sku');
    expect(reader.delta).toEqual({ field: 'updated', ordered: true });
    expect((await readAll(config, ctx)).failures).toEqual([
      { key: 'A-1', error: 'row 1, column price: expected a number, got "x"' },
    ]);
    const plain = await openSource({ path }, ctx);
    expect(plain.keyField).toBeUndefined();
    expect(plain.delta).toBeUndefined();
  });

  it('with since, returns only rows whose delta value is greater', async () => {
    const path = await csv(
      'd.csv',
      'id,seq,at,code\n1,9,2024-01-01T00:00:00Z,a\n2,10,2024-01-02T12:00:00+02:00,b\n3,11,2024-01-03,c\n4,,,\n',
    );
    const ctx = makeContext(dir.path);
    const ids = async (config: Record<string, unknown>, since: string) =>
      (await readAll({ path, ...config }, ctx, since)).records.map((r) => r.id);
    expect(await ids({ deltaField: 'seq' }, '9')).toEqual(['2', '3']); // numerically: 10 > 9
    expect(await ids({ deltaField: 'at' }, '2024-01-02T09:00:00Z')).toEqual(['2', '3']); // 10:00Z > 09:00Z
    expect(await ids({ deltaField: 'at' }, '2024-01-02T11:00:00Z')).toEqual(['3']);
    expect(await ids({ deltaField: 'code' }, 'a')).toEqual(['2', '3']);
    expect(await ids({ deltaField: 'seq', types: { seq: 'integer' } }, '10')).toEqual(['3']);
    expect(await ids({ deltaField: 'seq' }, '')).toEqual(['1', '2', '3']);
    expect((await readAll({ path }, ctx, '100')).records).toHaveLength(4); // no delta field: since does not apply
    expect(ctx.warnings).toEqual(['d.csv: reading everything, since no deltaField is set to compare "100" with']);
  });

  it('does not report rows the watermark excludes, even if other columns are invalid', async () => {
    const path = await csv('w.csv', 'id,seq,price\n1,1,bad\n2,2,bad\n3,x,1\n');
    const { records, failures } = await readAll(
      { path, deltaField: 'seq', types: { seq: 'integer', price: 'number' } },
      makeContext(dir.path),
      '1',
    );
    expect(records).toEqual([]);
    expect(failures.map((f) => f.error)).toEqual([
      'row 2, column price: expected a number, got "bad"',
      'row 3, column seq: expected an integer, got "x"',
    ]);
  });

  it('yields pages of at most pageSize, failures included', async () => {
    const lines = ['id,v'];
    for (let i = 1; i <= 2500; i++) lines.push(i % 500 === 0 ? `${i}` : `${i},x`);
    const path = await csv('p.csv', lines.join('\n'));
    const ctx = makeContext(dir.path);
    for (const pageSize of [1, 7, 1000, 5000]) {
      const pages = await readPages({ path }, ctx, { pageSize });
      for (const page of pages)
        expect(page.records.length + (page.failures?.length ?? 0)).toBeLessThanOrEqual(pageSize);
      expect(pages.flatMap((p) => p.records)).toHaveLength(2495);
      expect(pages.flatMap((p) => p.failures ?? [])).toHaveLength(5);
      expect(pages.flatMap((p) => p.records.map((r) => Number(r.id))).slice(0, 3)).toEqual([1, 2, 3]);
      expect(pages.length).toBe(Math.ceil(2500 / pageSize));
    }
  });

  it('decodes windows-1252, latin1 and UTF-16LE with a BOM, and strips a UTF-8 BOM', async () => {
    const cp1252 = Buffer.from([
      ...Buffer.from('name,price\n'),
      ...[0x43, 0x61, 0x66, 0xe9], // Café
      ...Buffer.from(','),
      0x80, // €
      ...Buffer.from('5\n'),
    ]);
    await csv('w.csv', cp1252);
    const ctx = makeContext(dir.path);
    for (const encoding of ['windows-1252', 'latin1']) {
      expect((await readAll({ path: 'w.csv', encoding }, ctx)).records).toEqual([{ name: 'Café', price: '€5' }]);
    }
    const text = 'name,city\n"Zoë, Jr.",Zürich\n😀,東京\n';
    await csv('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]));
    expect((await readAll({ path: 'u16.csv', encoding: 'utf-16le' }, ctx)).records).toEqual([
      { name: 'Zoë, Jr.', city: 'Zürich' },
      { name: '😀', city: '東京' },
    ]);
    await csv('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(Object.keys((await readAll({ path: 'bom.csv' }, ctx)).records[0]!)).toEqual(['name', 'city']);
  });

  it('keeps multi-byte characters intact across chunk boundaries', async () => {
    // Rows of varying byte length put the 256 KiB boundaries inside characters (and surrogate pairs).
    const expected: string[] = [];
    let body = 'text\n';
    for (let i = 0, bytes = 0; bytes < 3 * CHUNK_SIZE; i++) {
      const line = `${i}é😀東${'ü'.repeat(i % 7)}\n`;
      expected.push(line.slice(0, -1));
      body += line;
      bytes += Buffer.byteLength(line);
    }
    const files = {
      'utf-8': Buffer.from(body),
      'utf-16le': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]),
    };
    for (const [encoding, bytes] of Object.entries(files)) {
      const path = await csv(`mb-${encoding}.csv`, bytes);
      const { records } = await readAll({ path, encoding }, makeContext(dir.path));
      expect(records.map((r) => r.text)).toEqual(expected);
    }
  });

  it('fails with ConfigError for a missing file, naming the path as configured and where it looked', async () => {
    const error = await openSource({ path: 'data/missing.csv' }, makeContext(dir.path)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `file not found: data/missing.csv (looked in ${dir.file('data/missing.csv')})`,
    );
  });

  it('fails with ConfigError for an unterminated quote, naming the file and line', async () => {
    const path = await csv('q.csv', 'a,b\n1,2\n3,"open\n4,5\n');
    const error = await readAll({ path }, makeContext(dir.path)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe('q.csv: unterminated quoted field in the row starting on line 3');
  });

  it('rejects configs that cannot work with ConfigError', async () => {
    const ctx = makeContext(dir.path);
    await csv('h.csv', 'id,id\n1,2\n');
    await csv('ok.csv', 'id,name\n1,a\n');
    await csv('data.txt', 'x\n');
    const message = async (config: Record<string, unknown>) => {
      const error = await readAll(config, ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    };
    expect(await message({ path: 'h.csv' })).toBe('h.csv: column "id" appears twice in the header');
    expect(await message({ path: 'ok.csv', key: 'sku', types: { price: 'number' } })).toBe(
      'ok.csv has no column "price", "sku" (columns: id, name): check key, deltaField and types',
    );
    expect(await message({ path: 'ok.csv', columns: ['a'] })).toBe(
      'columns lists 1 names but the header of ok.csv has 2 fields',
    );
    expect(await message({ path: 'data.txt' })).toMatch(/cannot tell the format of data.txt/);
    expect(await message({ path: 'ok.csv', delimiter: '""' })).toMatch(/delimiter must be one character/);
    expect(await message({ path: '.', format: 'csv' })).toMatch(/is a folder/);
  });

  it('reads an empty file and a header-only file as no records', async () => {
    await csv('empty.csv', '');
    await csv('header.csv', 'a,b\n');
    const ctx = makeContext(dir.path);
    expect(await readPages({ path: 'empty.csv' }, ctx)).toEqual([]);
    expect(await readPages({ path: 'header.csv', key: 'a' }, ctx)).toEqual([]);
  });

  it('stops with the abort reason when the signal is aborted between pages', async () => {
    const lines = ['id'];
    for (let i = 0; i < 10_000; i++) lines.push(String(i));
    const path = await csv('a.csv', lines.join('\n'));
    const controller = new AbortController();
    const ctx = makeContext(dir.path, controller.signal);
    const reader = await openSource({ path }, ctx);
    const iterator = reader.pages({ pageSize: 10, signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).value.records).toHaveLength(10);
    controller.abort();
    const error = await iterator.next().catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect((await iterator.next()).done).toBe(true);
  });
});
