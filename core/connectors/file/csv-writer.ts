import { stat } from 'node:fs/promises';
import type { FlowRecord, Outcome, RecordData } from '../../engine/record.js';
import { ConfigError, errorMessage } from '../errors.js';
import type { ConnectorContext, DestinationWriter, WriteOptions } from '../types.js';
import {
  fileDestinationConfigSchema,
  parseConfig,
  resolveFile,
  type FileDestinationConfig,
  type ResolvedFile,
} from './config.js';
import { createCsvFormatter, type CsvFormatter } from './csv-format.js';
import { createJsonlFormatter } from './jsonl.js';
import { inspectExisting, TempTarget, type ExistingFile } from './target-file.js';
import { byteOrderMark, encodeText } from './text-io.js';

export const DEFAULT_BATCH_SIZE = 1000;

export async function openFileDestination(raw: unknown, ctx: ConnectorContext): Promise<DestinationWriter> {
  const config = parseConfig(fileDestinationConfigSchema, raw, 'destination');
  const file = resolveFile(config, ctx.workspaceDir);
  const info = await stat(file.absolutePath).catch(() => undefined);
  if (info?.isDirectory()) throw new ConfigError(`${file.path} is a folder, not a file (${file.absolutePath})`);
  return new FileWriter(config, file, ctx);
}

/**
 * Writes CSV or JSON Lines through a temp file (see TempTarget). Nothing happens on disk before the first write,
 * because only a write call tells whether the run is a dry run; a dry run then only reads the existing file
 * (append mode) to report the line numbers the records would get.
 */
class FileWriter implements DestinationWriter {
  readonly batchSize = DEFAULT_BATCH_SIZE;
  /** Records become real only when close({ok:true}) renames the temp file into place. */
  readonly transactional = true;
  private state: 'new' | 'open' | 'closed' = 'new';
  private target: TempTarget | undefined;
  private existing: ExistingFile | undefined;
  /** Permissions of the file being replaced, so overwriting does not reset them. */
  private targetMode: number | undefined;
  private columns: readonly string[] | undefined;
  private format: ((record: RecordData) => string) | undefined;
  private csv: CsvFormatter | undefined;
  /** Text owed before the next record: the header, or a line break the appended-to file lacks. */
  private pending = '';
  private nextLine = 1;
  private written = 0;

  constructor(
    private readonly config: FileDestinationConfig,
    private readonly file: ResolvedFile,
    private readonly ctx: ConnectorContext,
  ) {}

  async write(batch: readonly FlowRecord[], options: WriteOptions): Promise<Outcome[]> {
    options.signal.throwIfAborted();
    if (this.state === 'closed') throw new Error(`file destination ${this.file.path} is already closed`);
    if (this.state === 'new') await this.open(options.dryRun, options.signal);
    if (batch.length === 0) return [];
    if (this.format === undefined) this.startFormat((batch[0] as FlowRecord).data, batch);
    const format = this.format as (record: RecordData) => string;
    const csv = this.csv;
    // One string per batch: one encode and one write call instead of a thousand.
    let text = this.pending;
    this.pending = '';
    const outcomes: Outcome[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const breaksBefore = csv === undefined ? 0 : csv.embeddedLineBreaks;
      try {
        text += format((batch[i] as FlowRecord).data);
      } catch (error) {
        outcomes[i] = { status: 'failed', error: `cannot write the record: ${errorMessage(error)}` };
        continue;
      }
      outcomes[i] = { status: 'created', targetKey: String(this.nextLine) };
      this.nextLine += csv === undefined ? 1 : 1 + csv.embeddedLineBreaks - breaksBefore;
      this.written++;
    }
    if (this.target !== undefined) await this.target.write(encodeText(text, this.file.encoding));
    return outcomes;
  }

  async close(result: { ok: boolean; dryRun: boolean }): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    if (!result.ok || result.dryRun) {
      await this.target?.discard();
      return;
    }
    if (!wasOpen) {
      // No record reached us, but a successful overwrite still means "the file now holds this run's output".
      if (this.config.mode === 'append' && (await stat(this.file.absolutePath).catch(() => undefined))) return;
      await this.open(false, this.ctx.signal);
    }
    const target = this.target;
    if (target === undefined) return; // the writes were a dry run
    if (this.written === 0 && this.existing !== undefined && this.existing.size > 0) {
      await target.discard(); // appended nothing: leave the file exactly as it was
      return;
    }
    if (this.written === 0) {
      if (this.format === undefined && this.config.columns !== undefined) this.startFormat({}, []);
      await target.write(encodeText(this.pending, this.file.encoding));
    }
    await target.commit();
  }

  private async open(dryRun: boolean, signal: AbortSignal): Promise<void> {
    const { config, file } = this;
    const csvHeader = file.format === 'csv' && config.header;
    if (config.mode === 'append') {
      this.existing = await inspectExisting(file, csvHeader, signal);
      this.targetMode = this.existing?.mode;
    } else if (!dryRun) {
      this.targetMode = await stat(file.absolutePath).then(
        (s) => s.mode & 0o777,
        () => undefined,
      );
    }
    const appending = config.mode === 'append' && this.existing !== undefined && this.existing.size > 0;
    if (appending) {
      const existing = this.existing as ExistingFile;
      this.nextLine = existing.lines + 1;
      if (!existing.endsWithLineBreak) {
        this.pending = config.lineEnding;
        this.nextLine++;
      }
      if (csvHeader && existing.header !== undefined) this.columns = this.headerColumns(existing.header);
    }
    if (!dryRun) {
      this.target = await TempTarget.create(file, { appendTo: appending, mode: this.targetMode });
      if (!appending) await this.target.write(byteOrderMark(file.encoding));
    }
    this.state = 'open';
  }

  /** Appending to a CSV file means writing its columns, whatever the records look like. */
  private headerColumns(header: string[]): readonly string[] {
    const configured = this.config.columns;
    if (configured === undefined) return header;
    if (configured.length !== header.length || configured.some((c, i) => c !== header[i])) {
      throw new ConfigError(
        `columns (${configured.join(', ')}) differ from the header of ${this.file.path} (${header.join(', ')}): ` +
          'appending would put values under the wrong names',
      );
    }
    return configured;
  }

  private startFormat(first: RecordData, batch: readonly FlowRecord[]): void {
    const { config, file } = this;
    const writeHeader =
      file.format === 'csv' && config.header && !(this.existing !== undefined && this.existing.size > 0);
    const columns = this.columns ?? config.columns ?? (file.format === 'csv' ? Object.keys(first) : undefined);
    this.columns = columns;
    if (columns !== undefined && config.columns === undefined) this.warnDroppedKeys(columns, batch);
    if (file.format === 'jsonl') {
      this.format = createJsonlFormatter(columns, config.lineEnding);
      return;
    }
    const csv = createCsvFormatter({
      columns: columns ?? [],
      delimiter: file.delimiter,
      lineEnding: config.lineEnding,
    });
    this.csv = csv;
    this.format = csv.row;
    if (writeHeader) {
      this.pending += csv.header();
      this.nextLine += 1 + csv.embeddedLineBreaks;
    }
  }

  /** Columns come from the first record; say so once if the first batch already shows keys that will be lost. */
  private warnDroppedKeys(columns: readonly string[], batch: readonly FlowRecord[]): void {
    const known = new Set(columns);
    const dropped = new Set<string>();
    for (const record of batch) for (const key of Object.keys(record.data)) if (!known.has(key)) dropped.add(key);
    if (dropped.size === 0) return;
    this.ctx.log.warn(
      `${this.file.path}: fields ${[...dropped].join(', ')} are not among the columns (taken from the first record ` +
        'or the existing header) and are not written; set columns to choose them',
    );
  }
}
