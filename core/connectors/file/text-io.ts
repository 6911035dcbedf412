import { createReadStream, type ReadStream } from 'node:fs';
import { addAbortSignal } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { FileEncoding } from './config.js';

/** Big enough that per-chunk costs vanish (~450 benchmark rows), small enough that buffer churn stays low: 256 KiB
 * chunks added ~15 MB of peak RSS at 1M rows for no measurable speed (docs/benchmarks.md). */
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
    if (complete < bytes.length) this.carry = bytes.subarray(complete);
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

export function openReadStream(absolutePath: string, signal: AbortSignal): ReadStream {
  const stream = createReadStream(absolutePath, { highWaterMark: CHUNK_SIZE });
  // Destroying on abort closes the file descriptor even when nobody pulls from the stream any more.
  addAbortSignal(signal, stream);
  // Errors reach the reader through the async iterator. This listener only keeps the AbortError that a stream
  // abandoned mid-file is destroyed with from ever surfacing as an uncaught exception.
  stream.on('error', () => undefined);
  return stream;
}

/** Decoded text of a file, chunk by chunk. Stopping iteration destroys the stream and closes its descriptor. */
export async function* readText(absolutePath: string, encoding: FileEncoding, signal: AbortSignal) {
  const decoder = new ChunkDecoder(encoding);
  for await (const chunk of openReadStream(absolutePath, signal)) {
    const text = decoder.decode(chunk as Buffer);
    if (text.length > 0) yield text;
  }
  const rest = decoder.end();
  if (rest.length > 0) yield rest;
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
