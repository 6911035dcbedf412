import { open, type FileReadResult } from 'node:fs/promises';
import { TextDecoder } from 'node:util';
import type { FileEncoding } from './config.js';

/** Bytes decoded and parsed at a time. Big enough that per-chunk costs vanish (~450 benchmark rows), small enough
 * that buffer churn stays low: 256 KiB text chunks added ~15 MB of peak RSS at 1M rows (docs/benchmarks.md). */
export const CHUNK_SIZE = 64 * 1024;

/**
 * Decodes a byte stream chunk by chunk, never splitting a character. UTF-8 avoids TextDecoder's streaming mode:
 * cutting each chunk after its last complete sequence and decoding that in one go takes the native fast path and
 * was ~1.5× faster on the benchmark file (docs/decisions/csv-parser.md). Other encodings stream through TextDecoder.
 */
export class ChunkDecoder {
  private readonly decoder: TextDecoder;
  private readonly utf8: boolean;
  private carry: Buffer | undefined;
  private first = true;

  constructor(encoding: FileEncoding) {
    this.utf8 = encoding === 'utf-8';
    // ignoreBOM for UTF-8 because each non-streaming decode would otherwise strip a U+FEFF that merely happens to
    // start a chunk; the real BOM is removed once below.
    this.decoder = new TextDecoder(encoding, { ignoreBOM: this.utf8 });
  }

  decode(chunk: Buffer): string {
    if (!this.utf8) return this.decoder.decode(chunk, { stream: true });
    let bytes = chunk;
    if (this.carry !== undefined) {
      bytes = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    const complete = completeUtf8Length(bytes);
    // A copy: the caller may reuse its buffer for the next read.
    if (complete < bytes.length) this.carry = Buffer.from(bytes.subarray(complete));
    return this.stripBom(this.decoder.decode(bytes.subarray(0, complete)));
  }

  end(): string {
    if (!this.utf8) return this.decoder.decode();
    const rest = this.carry === undefined ? '' : this.decoder.decode(this.carry);
    this.carry = undefined;
    return this.stripBom(rest);
  }

  private stripBom(text: string): string {
    if (!this.first || text.length === 0) return text;
    this.first = false;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}

/** Length of the prefix of `bytes` that ends on a UTF-8 character boundary (at most 3 bytes are held back). */
export function completeUtf8Length(bytes: Uint8Array): number {
  const length = bytes.length;
  const floor = Math.max(0, length - 4);
  let i = length - 1;
  while (i >= floor && ((bytes[i] as number) & 0xc0) === 0x80) i--;
  if (i < floor) return length; // four continuation bytes in a row: invalid anyway, let the decoder replace them
  const lead = bytes[i] as number;
  const needed = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return length - i >= needed ? length : i;
}

/**
 * Bytes per read. Each read costs an event-loop turn, which on a busy machine was ~0.1 – 0.4 ms whatever the size:
 * at one 64 KiB read per turn the benchmark spent ~20% of its run waiting. The bytes are still decoded and parsed
 * CHUNK_SIZE at a time, so the text in memory stays as small as before.
 */
export const READ_SIZE = 4 * CHUNK_SIZE;

/**
 * Decoded text of a file, at most CHUNK_SIZE bytes' worth at a time. The next read is always under way while the
 * consumer works on the current one (a ReadStream only starts its next read once the consumer waits). Stopping
 * the iteration, or aborting the signal even while nobody pulls, closes the file.
 */
export async function* readText(absolutePath: string, encoding: FileEncoding, signal: AbortSignal) {
  signal.throwIfAborted();
  const handle = await open(absolutePath, 'r');
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= handle.close().catch(() => undefined));
  signal.addEventListener('abort', close, { once: true });
  let pending: Promise<FileReadResult<Buffer>> | undefined;
  // Two buffers in turn: one is decoded while the other is read into. Reads continue from the file position (one
  // at a time), so pipes and devices read too.
  const buffers = [Buffer.allocUnsafe(READ_SIZE), Buffer.allocUnsafe(READ_SIZE)];
  let turn = 0;
  const readNext = () => {
    pending = handle.read(buffers[turn++ & 1]!, 0, READ_SIZE, null);
    pending.catch(() => undefined); // awaited below; this only keeps an abandoned read from being "unhandled"
  };
  try {
    const decoder = new ChunkDecoder(encoding);
    readNext();
    for (;;) {
      const { bytesRead, buffer } = await (pending as Promise<FileReadResult<Buffer>>);
      pending = undefined;
      signal.throwIfAborted();
      if (bytesRead === 0) break;
      readNext();
      for (let at = 0; at < bytesRead; at += CHUNK_SIZE) {
        const text = decoder.decode(buffer.subarray(at, Math.min(at + CHUNK_SIZE, bytesRead)));
        if (text.length > 0) yield text;
      }
    }
    const rest = decoder.end();
    if (rest.length > 0) yield rest;
  } finally {
    signal.removeEventListener('abort', close);
    await pending?.catch(() => undefined);
    await close();
  }
}

const WINDOWS_1252_HIGH: Record<number, number> = {
  0x20ac: 0x80,
  0x201a: 0x82,
  0x0192: 0x83,
  0x201e: 0x84,
  0x2026: 0x85,
  0x2020: 0x86,
  0x2021: 0x87,
  0x02c6: 0x88,
  0x2030: 0x89,
  0x0160: 0x8a,
  0x2039: 0x8b,
  0x0152: 0x8c,
  0x017d: 0x8e,
  0x2018: 0x91,
  0x2019: 0x92,
  0x201c: 0x93,
  0x201d: 0x94,
  0x2022: 0x95,
  0x2013: 0x96,
  0x2014: 0x97,
  0x02dc: 0x98,
  0x2122: 0x99,
  0x0161: 0x9a,
  0x203a: 0x9b,
  0x0153: 0x9c,
  0x017e: 0x9e,
  0x0178: 0x9f,
  // The five bytes windows-1252 leaves undefined decode to these C1 controls (WHATWG), so they map back.
  0x81: 0x81,
  0x8d: 0x8d,
  0x8f: 0x8f,
  0x90: 0x90,
  0x9d: 0x9d,
};
const OUTSIDE_LATIN1_SAFE = /[^\x00-\x7f\xa0-\xff]/; // eslint-disable-line no-control-regex

/**
 * Text → bytes. Node has no windows-1252 encoder (TextEncoder is UTF-8 only), so that one is done here; characters
 * it cannot represent become "?", as Windows tools do.
 */
export function encodeText(text: string, encoding: FileEncoding): Buffer {
  if (encoding === 'utf-8') return Buffer.from(text, 'utf8');
  if (encoding === 'utf-16le') return Buffer.from(text, 'utf16le');
  if (!OUTSIDE_LATIN1_SAFE.test(text)) return Buffer.from(text, 'latin1');
  const bytes = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    bytes[n++] = code < 0x80 || (code >= 0xa0 && code <= 0xff) ? code : (WINDOWS_1252_HIGH[code] ?? 0x3f);
  }
  return bytes.subarray(0, n);
}

/** The byte-order mark a new file of this encoding starts with: UTF-16 readers need it, UTF-8 ones do not. */
export function byteOrderMark(encoding: FileEncoding): Buffer {
  return encoding === 'utf-16le' ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0);
}
