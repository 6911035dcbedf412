import { createWriteStream, type WriteStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { tempPathFor } from '../../store/atomic-write.js';
import { ConfigError, ConnectionError, errorMessage } from '../errors.js';
import type { ResolvedFile } from './config.js';
import { CsvParser } from './csv-parse.js';
import { readText } from './text-io.js';

/** Bounded: a slow disk still slows the run rather than filling memory. */
const WRITE_BUFFER_BYTES = 1024 * 1024;

/** What appending needs to know about the file already there. */
export interface ExistingFile {
  size: number;
  /** Complete lines, i.e. line breaks: the next line written is `lines + 1` (after a break is added if missing). */
  lines: number;
  endsWithLineBreak: boolean;
  /** The first CSV row, when asked for. */
  header?: string[];
  mode: number;
}

/** Reads (never writes) the target to count its lines and find its header; undefined when it does not exist. */
export async function inspectExisting(
  file: ResolvedFile,
  readHeader: boolean,
  signal: AbortSignal,
): Promise<ExistingFile | undefined> {
  let info;
  try {
    info = await stat(file.absolutePath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw writeError(error, file);
  }
  if (info.isDirectory()) throw new ConfigError(`${file.path} is a folder, not a file (${file.absolutePath})`);
  const existing: ExistingFile = { size: info.size, lines: 0, endsWithLineBreak: false, mode: info.mode & 0o777 };
  if (info.size === 0) return existing;
  const parser = readHeader ? new CsvParser(file.delimiter) : undefined;
  const onRow = (fields: string[]) => void (existing.header ??= fields);
  let last = '';
  try {
    for await (const text of readText(file.absolutePath, file.encoding, signal)) {
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) existing.lines++;
      if (parser !== undefined && existing.header === undefined) parser.push(text, onRow);
      last = text;
    }
    if (parser !== undefined && existing.header === undefined) parser.finish(onRow);
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw writeError(error, file);
  }
  existing.endsWithLineBreak = last.endsWith('\n');
  return existing;
}

/**
 * The file being written: a temp file beside the target, renamed over it only on commit, so the target holds its
 * old bytes or the complete new ones and never anything in between. Same directory so the rename is atomic.
 */
export class TempTarget {
  private error: unknown;
  private constructor(
    private readonly file: ResolvedFile,
    private readonly tempPath: string,
    private readonly stream: WriteStream,
  ) {
    stream.on('error', (error) => {
      this.error ??= error;
    });
  }

  /** `appendTo`: start from a copy of the existing target (append mode). `mode`: keep the target's permissions. */
  static async create(file: ResolvedFile, options: { appendTo: boolean; mode?: number }): Promise<TempTarget> {
    const tempPath = tempPathFor(file.absolutePath);
    try {
      await mkdir(dirname(file.absolutePath), { recursive: true });
      if (options.appendTo) await copyFile(file.absolutePath, tempPath);
      // flush: the data is on disk before the rename makes it the target.
      const stream = createWriteStream(tempPath, {
        flags: options.appendTo ? 'a' : 'wx',
        mode: options.mode ?? 0o666,
        flush: true,
        // Several batches may queue before write() asks to wait, so disk writes overlap the next batch's work
        // (at one chunk, every batch waited for 'drain' and the run sat idle ~7% of the time).
        highWaterMark: WRITE_BUFFER_BYTES,
      });
      const target = new TempTarget(file, tempPath, stream);
      await once(stream, 'open');
      return target;
    } catch (error) {
      await rm(tempPath, { force: true });
      throw writeError(error, file);
    }
  }

  /** Resolves when the stream can take more: a slow disk slows the run instead of filling memory. */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.error !== undefined) throw writeError(this.error, this.file);
    if (bytes.length === 0) return;
    try {
      if (!this.stream.write(bytes)) await once(this.stream, 'drain');
    } catch (error) {
      throw writeError(error, this.file);
    }
  }

  async commit(): Promise<void> {
    try {
      if (this.error !== undefined) throw this.error;
      this.stream.end();
      await once(this.stream, 'close');
      if (this.error !== undefined) throw this.error;
      await rename(this.tempPath, this.file.absolutePath);
    } catch (error) {
      await this.discard();
      throw writeError(error, this.file);
    }
  }

  async discard(): Promise<void> {
    if (!this.stream.closed) {
      const closed = once(this.stream, 'close').catch(() => undefined);
      this.stream.destroy();
      await closed;
    }
    await rm(this.tempPath, { force: true });
  }
}

/** Permissions and a read-only disk are the user's to fix (config); anything else is the target failing. */
export function writeError(error: unknown, file: ResolvedFile): Error {
  if (error instanceof ConfigError || error instanceof ConnectionError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ConfigError(`no permission to write ${file.path} (${file.absolutePath})`);
  }
  if (code === 'ENOTDIR' || code === 'EISDIR') {
    return new ConfigError(`cannot write ${file.path}: a part of ${file.absolutePath} is not a folder`);
  }
  return new ConnectionError(`cannot write ${file.path}: ${errorMessage(error)}`, error);
}
