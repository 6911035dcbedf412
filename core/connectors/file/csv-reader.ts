import type { RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import type { ReadOptions, SourcePage } from '../types.js';
import type { FileSourceConfig, ResolvedFile } from './config.js';
import { CsvParser, CsvSyntaxError } from './csv-parse.js';
import { ConversionError, type Converter } from './convert.js';
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
  const rules = new RowRules(config, options.since);
  const pages = new PageBuilder(options.pageSize, rules.keyField === undefined);
  const typed = rules.typedColumns;
  const filtering = options.since !== undefined && config.deltaField !== undefined;
  let names: string[] | undefined;
  // `build` converts typed columns as it builds (and throws on a bad value); `buildRaw` only names the fields.
  let build: (fields: readonly string[]) => RecordData = () => ({});
  let buildRaw = build;
  let width = 0;
  let position = 0;

  const start = (columns: string[]): void => {
    const problem = missingFields(rules, columns, file);
    if (problem) throw problem;
    names = columns;
    width = columns.length;
    buildRaw = recordBuilder(columns);
    build = typed.size > 0 ? recordBuilder(columns, typed) : buildRaw;
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
      const error = `row ${position} (line ${line}): expected ${width} field${width === 1 ? '' : 's'}, got ${got}`;
      // Built only to find the key field's value, which a ragged row may still have.
      pages.failure({ key: rules.keyOf(buildRaw(fields), position), error });
      return;
    }
    let record: RecordData;
    try {
      record = build(fields);
    } catch (error) {
      if (!(error instanceof ConversionError)) throw error;
      // Rare: redo the row column by column to name every bad value (or to drop it if `since` excludes it).
      const outcome = rules.apply(buildRaw(fields), position, `row ${position}`);
      if (outcome) pages.failure(outcome);
      return;
    }
    if (filtering && !rules.keeps(record)) return;
    pages.record(record, position);
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
 * Compiles `fields => ({ id: fields[0], price: c4(fields[4]), … })` for one header, converting typed columns on
 * the way. An object literal gets its final shape in one step; assigning names in a loop, then converting in place,
 * was far slower on the benchmark (every store site sees every column name, and each conversion changes a field's
 * representation). Names enter the code only as JSON string literals. `__proto__` alone gets a computed key, which
 * makes it an ordinary field (a literal `"__proto__":` would set the prototype).
 */
export function recordBuilder(
  names: readonly string[],
  converters: ReadonlyMap<string, Converter> = new Map(),
): (fields: readonly string[]) => RecordData {
  const params: string[] = [];
  const args: Converter[] = [];
  const properties = names.map((name, i) => {
    const key = name === '__proto__' ? '["__proto__"]' : JSON.stringify(name);
    const convert = converters.get(name);
    if (convert === undefined) return `${key}: f[${i}]`;
    params.push(`c${i}`);
    args.push(convert);
    return `${key}: c${i}(f[${i}])`;
  });
  const source = `return function build(f) { return { ${properties.join(', ')} }; };`;
  return new Function(...params, source)(...args) as (fields: readonly string[]) => RecordData;
}
