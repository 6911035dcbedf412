import type { RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import type { ReadOptions, SourcePage } from '../types.js';
import type { FileSourceConfig, ResolvedFile } from './config.js';
import { CsvParser, CsvSyntaxError } from './csv-parse.js';
import { missingFields, PageBuilder, RowRules } from './rows.js';
import { readText } from './text-io.js';

/**
 * Streams a CSV file as pages. Only one decoded chunk and the pages made from it are in memory at a time: the
 * generator parses a chunk, hands out its pages, and reads the next chunk only when asked for more.
 */
export async function* readCsvPages(
  file: ResolvedFile,
  config: FileSourceConfig,
  options: ReadOptions,
): AsyncGenerator<SourcePage> {
  const { signal } = options;
  const parser = new CsvParser(file.delimiter);
  const pages = new PageBuilder(options.pageSize);
  const rules = new RowRules(config, options.since);
  const rulesActive = rules.active;
  let names: string[] | undefined;
  let build: (fields: readonly string[]) => RecordData = () => ({});
  let width = 0;
  let position = 0;

  const start = (columns: string[]): void => {
    const problem = missingFields(rules, columns, file);
    if (problem) throw problem;
    names = columns;
    width = columns.length;
    build = recordBuilder(columns);
    parser.fieldCount = width;
  };
  if (!config.header && config.columns !== undefined) start(checkedNames(config.columns, file, 'columns'));

  const onRow = (fields: string[], line: number): void => {
    if (names === undefined) {
      if (config.header) {
        start(headerNames(fields, config.columns, file));
        return;
      }
      start(fields.map((_, i) => `column${i + 1}`));
    }
    position++;
    if (fields.length !== width) {
      const got = fields.length;
      const record = got > width ? undefined : build(fields);
      const error = `row ${position} (line ${line}): expected ${width} field${width === 1 ? '' : 's'}, got ${got}`;
      pages.failure({ key: rules.keyOf(record, position), error });
      return;
    }
    const record = build(fields);
    if (rulesActive) {
      const outcome = rules.apply(record, position, `row ${position}`);
      if (outcome === null) return;
      if (outcome !== undefined) {
        pages.failure(outcome);
        return;
      }
    }
    pages.record(record);
  };

  try {
    for await (const text of readText(file.absolutePath, file.encoding, signal)) {
      parser.push(text, onRow);
      yield* pages.take(signal);
    }
    parser.finish(onRow);
  } catch (error) {
    if (error instanceof CsvSyntaxError) {
      throw new ConfigError(`${file.path}: unterminated quoted field in the row starting on line ${error.line}`);
    }
    throw error;
  }
  pages.flush();
  yield* pages.take(signal);
}

function headerNames(fields: string[], columns: string[] | undefined, file: ResolvedFile): string[] {
  if (columns === undefined) {
    // A spreadsheet's blank header cell still needs a name to be addressable in a mapping.
    return checkedNames(
      fields.map((name, i) => (name.trim() === '' ? `column${i + 1}` : name)),
      file,
      'the header',
    );
  }
  if (columns.length !== fields.length) {
    throw new ConfigError(
      `columns lists ${columns.length} names but the header of ${file.path} has ${fields.length} fields`,
    );
  }
  return checkedNames(columns, file, 'columns');
}

function checkedNames(names: string[], file: ResolvedFile, where: string): string[] {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new ConfigError(`${file.path}: column "${name}" appears twice in ${where}`);
    seen.add(name);
  }
  return names;
}

/**
 * Compiles `fields => ({ id: fields[0], … })` for one header. An object literal gets its final shape in one step;
 * assigning names in a loop was ~20% slower on the benchmark (every store site sees every column name). Names
 * enter the code only as JSON string literals, and computed keys make `__proto__` an ordinary field.
 */
export function recordBuilder(names: readonly string[]): (fields: readonly string[]) => RecordData {
  const body = names.map((name, i) => `[${JSON.stringify(name)}]: f[${i}]`).join(', ');
  return new Function('f', `return { ${body} };`) as (fields: readonly string[]) => RecordData;
}
