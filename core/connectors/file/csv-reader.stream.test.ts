import type * as fsp from 'node:fs/promises';
import { stat, writeFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { READ_SIZE } from './text-io.js';
import { makeContext, makeTempDir, openSource, type TempDir } from './test-support.js';

/** A file the connector opened: how far it read, and whether it closed it. */
interface Opened {
  bytesRead: number;
  closed: boolean;
  whenClosed: Promise<void>;
}

// Every file the connector opens, so the tests can see how far it read and whether it closed the file.
const opened = vi.hoisted(() => [] as Opened[]);
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsp>();
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      let onClose = () => undefined as void;
      const file: Opened = { bytesRead: 0, closed: false, whenClosed: new Promise((r) => (onClose = r)) };
      opened.push(file);
      const read = handle.read.bind(handle) as (...a: unknown[]) => Promise<fsp.FileReadResult<Buffer>>;
      const close = handle.close.bind(handle);
      return Object.assign(handle, {
        read: async (...a: unknown[]) => {
          const result = await read(...a);
          file.bytesRead += result.bytesRead;
          return result;
        },
        close: async () => {
          await close();
          file.closed = true;
          onClose();
        },
      });
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

/** Waits for the descriptor to be closed. */
async function closed(file: Opened): Promise<void> {
  await file.whenClosed;
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

    // Give the reader every chance to read ahead: it may, but only one read beyond the one being parsed.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(opened).toHaveLength(1);
    const file = opened[0]!;
    expect(size).toBeGreaterThan(8 * READ_SIZE);
    expect(file.bytesRead).toBeLessThanOrEqual(2 * READ_SIZE);
    expect(file.closed).toBe(false);

    await iterator.return?.();
    await closed(file);
    expect(file.bytesRead).toBeLessThanOrEqual(2 * READ_SIZE);
  });

  it('closes the file as soon as the signal aborts, even while nobody pulls', async () => {
    const controller = new AbortController();
    const ctx = makeContext(dir.path, controller.signal);
    const reader = await openSource({ path }, ctx);
    const iterator = reader.pages({ pageSize: 100, signal: controller.signal })[Symbol.asyncIterator]();
    await iterator.next();
    const file = opened[0]!;
    expect(file.closed).toBe(false);
    controller.abort();
    await closed(file);
    expect(file.bytesRead).toBeLessThan(size);
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
