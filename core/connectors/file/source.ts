import { stat } from 'node:fs/promises';
import { ConfigError } from '../errors.js';
import type { ConnectorContext, ReadOptions, SourcePage, SourceReader } from '../types.js';
import { fileSourceConfigSchema, parseConfig, resolveFile, type ResolvedFile } from './config.js';
import { readCsvPages } from './csv-reader.js';
import { readJsonlPages } from './jsonl.js';

export async function openFileSource(raw: unknown, ctx: ConnectorContext): Promise<SourceReader> {
  const config = parseConfig(fileSourceConfigSchema, raw, 'source');
  const file = resolveFile(config, ctx.workspaceDir);
  await assertReadable(file);
  return {
    keyField: config.key,
    delta:
      config.deltaField === undefined ? undefined : { field: config.deltaField, ordered: config.deltaOrdered ?? false },
    pages(options: ReadOptions): AsyncIterable<SourcePage> {
      if (options.since !== undefined && config.deltaField === undefined) {
        ctx.log.warn(`${file.path}: reading everything, since no deltaField is set to compare "${options.since}" with`);
      }
      const signal = options.signal === ctx.signal ? options.signal : AbortSignal.any([options.signal, ctx.signal]);
      const read = file.format === 'csv' ? readCsvPages : readJsonlPages;
      return withReadErrors(read(file, config, { ...options, signal }), file, signal);
    },
  };
}

export async function assertReadable(file: ResolvedFile): Promise<void> {
  try {
    const info = await stat(file.absolutePath);
    if (info.isDirectory()) throw new ConfigError(`${file.path} is a folder, not a file (${file.absolutePath})`);
  } catch (error) {
    throw fileError(error, file);
  }
}

export function fileError(error: unknown, file: ResolvedFile): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new ConfigError(`file not found: ${file.path} (looked in ${file.absolutePath})`);
  if (code === 'EACCES' || code === 'EPERM') return new ConfigError(`no permission to read ${file.path}`);
  if (code === 'EISDIR') return new ConfigError(`${file.path} is a folder, not a file (${file.absolutePath})`);
  return error;
}

/** The stream reports an abort as its own AbortError; callers expect the signal's reason, as everywhere else. */
async function* withReadErrors(pages: AsyncGenerator<SourcePage>, file: ResolvedFile, signal: AbortSignal) {
  try {
    yield* pages;
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    throw fileError(error, file);
  }
}
