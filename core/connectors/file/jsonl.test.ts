import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeContext, makeTempDir, readAll, readPages, writeAll, type TempDir } from './test-support.js';

let dir: TempDir;
beforeEach(async () => {
  dir = await makeTempDir();
});
afterEach(async () => {
  await dir.remove();
});

describe('file source and destination: JSON Lines', () => {
  it('reads one object per line, skips blank lines, and fails bad lines alone', async () => {
    await writeFile(
      dir.file('in.jsonl'),
      '{"id":1,"name":"Ann"}\r\n\n   \n{"id":2,"nested":{"a":[1,2]}}\n{"id":3,\n[1,2]\n"text"\nnull\n{"id":4}',
    );
    const { records, failures } = await readAll({ path: 'in.jsonl' }, makeContext(dir.path));
    expect(records).toEqual([{ id: 1, name: 'Ann' }, { id: 2, nested: { a: [1, 2] } }, { id: 4 }]);
    expect(failures).toHaveLength(4);
    expect(failures[0]).toEqual({ key: '#3', error: expect.stringMatching(/^line 5: invalid JSON: /) });
    expect(failures.slice(1)).toEqual([
      { key: '#4', error: 'line 6: expected a JSON object, got an array' },
      { key: '#5', error: 'line 7: expected a JSON object, got a string' },
      { key: '#6', error: 'line 8: expected a JSON object, got null' },
    ]);
  });

  it('applies types, key and since like CSV (.ndjson by extension)', async () => {
    await writeFile(
      dir.file('d.ndjson'),
      [
        '{"id":"a","n":"1","at":"2024-01-01"}',
        '{"id":"b","n":2,"at":"2024-01-03"}',
        '{"id":"c","n":"x","at":"2024-01-04"}',
      ].join('\n'),
    );
    const ctx = makeContext(dir.path);
    const config = { path: 'd.ndjson', key: 'id', deltaField: 'at', types: { n: 'number' } };
    const { records, failures } = await readAll(config, ctx, '2024-01-02');
    expect(records).toEqual([{ id: 'b', n: 2, at: '2024-01-03' }]);
    expect(failures).toEqual([{ key: 'c', error: 'line 3, column n: expected a number, got "x"' }]);
  });

  it('pages by pageSize', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => JSON.stringify({ i }));
    await writeFile(dir.file('p.jsonl'), lines.join('\n') + '\n');
    const pages = await readPages({ path: 'p.jsonl' }, makeContext(dir.path), { pageSize: 10 });
    expect(pages.map((p) => p.records.length)).toEqual([10, 10, 5]);
  });

  it('writes one JSON object per line, optionally only some fields, numbering lines', async () => {
    const ctx = makeContext(dir.path);
    const rows = [{ id: 1, when: new Date('2024-01-01T00:00:00Z'), text: 'a\nb' }, { id: 2, big: 1n }, { id: 3 }];
    const outcomes = await writeAll({ path: 'o.jsonl' }, ctx, rows);
    expect(await readFile(dir.file('o.jsonl'), 'utf8')).toBe(
      '{"id":1,"when":"2024-01-01T00:00:00.000Z","text":"a\\nb"}\n{"id":3}\n',
    );
    expect(outcomes[0]).toEqual({ status: 'created', targetKey: '1' });
    expect(outcomes[1]).toMatchObject({ status: 'failed', error: expect.stringMatching(/BigInt/) });
    expect(outcomes[2]).toEqual({ status: 'created', targetKey: '2' });

    await writeAll({ path: 'o.jsonl', mode: 'append', columns: ['id', 'x'], lineEnding: '\r\n' }, ctx, [
      { x: 'y', id: 4, dropped: true },
    ]);
    expect(await readFile(dir.file('o.jsonl'), 'utf8')).toMatch(/\{"id":3\}\n\{"id":4,"x":"y"\}\r\n$/);
  });
});
