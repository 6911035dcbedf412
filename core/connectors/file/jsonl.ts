import type { RecordData } from '../../engine/record.js';
import type { ReadOptions, SourcePage } from '../types.js';
import type { FileSourceConfig, ResolvedFile } from './config.js';
import { PageBuilder, RowRules } from './rows.js';
import { readText } from './text-io.js';

/** JSON Lines: one object per line; blank lines are skipped and a bad line fails alone. */
export async function* readJsonlPages(
  file: ResolvedFile,
  config: FileSourceConfig,
  options: ReadOptions,
): AsyncGenerator<SourcePage> {
  const { signal } = options;
  const rules = new RowRules(config, options.since);
  const pages = new PageBuilder(options.pageSize, rules.keyField === undefined);
  let rest = '';
  let line = 0;
  let position = 0;

  const onLine = (text: string): void => {
    line++;
    if (text.trim() === '') return;
    position++;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      pages.failure({ key: `#${position}`, error: `line ${line}: invalid JSON: ${(error as Error).message}` });
      return;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
      pages.failure({ key: `#${position}`, error: `line ${line}: expected a JSON object, got ${got}` });
      return;
    }
    const record = value as RecordData;
    const outcome = rules.apply(record, position, `line ${line}`);
    if (outcome === null) return;
    if (outcome !== undefined) pages.failure(outcome);
    else pages.record(record, position);
  };

  for await (const chunk of readText(file.absolutePath, file.encoding, signal)) {
    const text = rest.length === 0 ? chunk : rest + chunk;
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      onLine(text.slice(start, nl));
      start = nl + 1;
    }
    rest = text.slice(start);
    yield* pages.take(signal);
  }
  if (rest.length > 0) onLine(rest);
  pages.flush();
  yield* pages.take(signal);
}

/** One JSON document per line; with `columns`, only those keys in that order (like the CSV writer). */
export function createJsonlFormatter(columns: readonly string[] | undefined, lineEnding: string) {
  return (record: RecordData): string => {
    if (columns === undefined) return JSON.stringify(record) + lineEnding;
    // No prototype, so a column named __proto__ is just a key.
    const picked: RecordData = Object.create(null);
    for (const name of columns) if (Object.hasOwn(record, name)) picked[name] = record[name];
    return JSON.stringify(picked) + lineEnding;
  };
}
