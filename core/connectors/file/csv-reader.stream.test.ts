import type * as fs from 'node:fs';
import type { ReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CHUNK_SIZE } from './text-io.js';
import { makeContext, makeTempDir, openSource, type TempDir } from './test-support.js';

// Every read stream the connector opens, so the tests can see how far it read and whether it closed the file.
const opened = vi.hoisted(() => [] as ReadStream[]);
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof fs>();
  return {
    ...actual,
    createReadStream: (...args: Parameters<typeof actual.createReadStream>) => {
      const stream = actual.createReadStream(...args);
      opened.push(stream);
      return stream;
    },
  };
});

let dir: TempDir;
let path: string;
let size: number;

beforeEach(async () => {
  opened.length = 0;
  dir = await makeTempDir();
  path = dir.file('big.csv');
  const lines = ['id,sku,name,price,status'];
  for (let i = 1; i <= 200_000; i++) lines.push(`${i},SKU-${i},"Item ${i}, large",${i % 1000}.99,active`);
  await writeFile(path, lines.join('\n'));
  size = (await stat(path)).size;
});
afterEach(async () => {
  await dir.remove();
});

/** Waits for the descriptor to be closed; an abandoned stream is destroyed with an AbortError, which is expected. */
async function closed(stream: ReadStream): Promise<void> {
  if (!stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve()));
}

describe('file source: streaming', () => {
  it('reads only what the consumer pulls, and closes the file when it stops', async () => {
    const ctx = makeContext(dir.path);
    const reader = await openSource({ path }, ctx);
    const iterator = reader.pages({ pageSize: 100, signal: ctx.signal })[Symbol.asyncIterator]();
    const first = await iterator.next();
    const second = await iterator.next();
    expect(first.value.records[0]).toEqual({
      id: '1',
      sku: 'SKU-1',
      name: 'Item 1, large',
      price: '1.99',
      status: 'active',
    });
    expect(second.value.records[99].id).toBe('200');

    // Give the stream every chance to read ahead: it may buffer, but only up to its high-water mark.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened).toHaveLength(1);
    const stream = opened[0]!;
    expect(size).toBeGreaterThan(20 * CHUNK_SIZE);
    expect(stream.bytesRead).toBeLessThanOrEqual(3 * CHUNK_SIZE);

    await iterator.return?.();
    await closed(stream);
    expect(stream.destroyed).toBe(true);
    expect(stream.bytesRead).toBeLessThanOrEqual(3 * CHUNK_SIZE);
  });

  it('closes the file as soon as the signal aborts, even while nobody pulls', async () => {
    const controller = new AbortController();
    const ctx = makeContext(dir.path, controller.signal);
    const reader = await openSource({ path }, ctx);
    const iterator = reader.pages({ pageSize: 100, signal: controller.signal })[Symbol.asyncIterator]();
    await iterator.next();
    const stream = opened[0]!;
    expect(stream.closed).toBe(false);
    controller.abort();
    await closed(stream);
    expect(stream.bytesRead).toBeLessThan(size);
    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('reads the whole file when the consumer pulls everything', async () => {
    const ctx = makeContext(dir.path);
    const reader = await openSource({ path }, ctx);
    let count = 0;
    for await (const page of reader.pages({ pageSize: 1000, signal: ctx.signal })) count += page.records.length;
    expect(count).toBe(200_000);
    await closed(opened[0]!);
    expect(opened[0]!.bytesRead).toBe(size);
  });
});
