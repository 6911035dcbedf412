import type { RecordData } from '../../engine/record.js';
import { isAfter } from '../delta.js';
import { ConfigError } from '../errors.js';
import type { SourceFailure, SourcePage } from '../types.js';
import type { FileSourceConfig, ResolvedFile } from './config.js';
import { ConversionError, converterFor, type Converter } from './convert.js';

/**
 * Collects rows into pages of at most `pageSize` entries. Failures count towards the size too, so a file of
 * nothing but bad rows still arrives in bounded pages.
 */
export class PageBuilder {
  private records: RecordData[] = [];
  private keys: string[] = [];
  private failures: SourceFailure[] = [];
  private readonly ready: SourcePage[] = [];

  /** `numbered`: the records have no key field, so each carries its row number as lineage key (`#17`). */
  constructor(
    private readonly pageSize: number,
    private readonly numbered = false,
  ) {
    if (!(pageSize >= 1)) throw new Error(`pageSize must be at least 1, got ${pageSize}`);
  }

  record(record: RecordData, position: number): void {
    this.records.push(record);
    if (this.numbered) this.keys.push(`#${position}`);
    if (this.records.length + this.failures.length >= this.pageSize) this.flush();
  }

  failure(failure: SourceFailure): void {
    this.failures.push(failure);
    if (this.records.length + this.failures.length >= this.pageSize) this.flush();
  }

  /** Ends the current page even if it is not full (end of input). */
  flush(): void {
    if (this.records.length === 0 && this.failures.length === 0) return;
    const page: SourcePage = { records: this.records };
    if (this.numbered) page.keys = this.keys;
    if (this.failures.length > 0) page.failures = this.failures;
    this.ready.push(page);
    this.records = [];
    this.keys = [];
    this.failures = [];
  }

  /** Pages completed so far; checks for an abort before each one so a cancelled run stops within a page. */
  *take(signal: AbortSignal): Generator<SourcePage> {
    while (this.ready.length > 0) {
      signal.throwIfAborted();
      yield this.ready.shift() as SourcePage;
    }
  }
}

/**
 * What happens to a row after parsing: typed columns are converted (the delta column first, so a row the watermark
 * excludes is not reported for its other columns) and rows at or below `since` are dropped.
 */
export class RowRules {
  private readonly converters: Array<[string, Converter]>;
  private readonly deltaField: string | undefined;
  private readonly deltaTyped: boolean;
  private readonly after: ((value: unknown) => boolean) | undefined;
  readonly keyField: string | undefined;

  constructor(config: FileSourceConfig, since: string | undefined) {
    const types = Object.entries(config.types ?? {});
    types.sort(([a], [b]) => Number(b === config.deltaField) - Number(a === config.deltaField));
    this.converters = types.map(([name, type]) => [name, converterFor(type)]);
    this.deltaField = config.deltaField;
    this.deltaTyped = types.some(([name]) => name === config.deltaField);
    this.after = since === undefined || config.deltaField === undefined ? undefined : isAfter(since);
    this.keyField = config.key;
  }

  /** The typed columns' converters, for compiling into the CSV record builder (see recordBuilder). */
  get typedColumns(): ReadonlyMap<string, Converter> {
    return new Map(this.converters);
  }

  /** The `since` test alone, for records whose columns are already converted. */
  keeps(record: RecordData): boolean {
    return this.after === undefined || this.after(record[this.deltaField as string]);
  }

  /** Field names the config refers to, for checking them against the file's columns. */
  referencedFields(): string[] {
    const names = this.converters.map(([name]) => name);
    if (this.deltaField !== undefined) names.push(this.deltaField);
    if (this.keyField !== undefined) names.push(this.keyField);
    return [...new Set(names)];
  }

  /**
   * Converts `record` in place. Returns undefined to keep it, null to drop it (not after `since`), or a failure.
   * `where` names the row in messages: "row 17".
   */
  apply(record: RecordData, position: number, where: string): SourceFailure | null | undefined {
    if (this.after !== undefined && !this.deltaTyped && !this.after(record[this.deltaField as string])) return null;
    let problems: string[] | undefined;
    for (const [name, convert] of this.converters) {
      try {
        record[name] = convert(record[name]);
      } catch (error) {
        if (!(error instanceof ConversionError)) throw error;
        (problems ??= []).push(`column ${name}: ${error.message}`);
        // Without a valid delta value the row cannot be placed against `since`: report just that.
        if (name === this.deltaField) break;
        continue;
      }
      if (name === this.deltaField && this.after !== undefined && !this.after(record[name])) return null;
    }
    if (problems === undefined) return undefined;
    return { key: this.keyOf(record, position), error: `${where}, ${problems.join('; ')}` };
  }

  /**
   * The failure's key, in the engine's style for record keys: the key field's value, else `#` and the position —
   * here the row's number among the file's data rows, the number its error message names.
   */
  keyOf(record: RecordData | undefined, position: number): string {
    const key = this.keyField === undefined ? undefined : record?.[this.keyField];
    return key === undefined || key === null || key === '' ? `#${position}` : String(key);
  }
}

export function missingFields(
  rules: RowRules,
  columns: readonly string[],
  file: ResolvedFile,
): ConfigError | undefined {
  const known = new Set(columns);
  const missing = rules.referencedFields().filter((name) => !known.has(name));
  if (missing.length === 0) return undefined;
  const list = missing.map((m) => `"${m}"`).join(', ');
  return new ConfigError(
    `${file.path} has no column ${list} (columns: ${columns.join(', ') || 'none'}): check key, deltaField and types`,
  );
}
