import { isAbsolute, extname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.js';

export const fileFormats = ['csv', 'jsonl'] as const;
export type FileFormat = (typeof fileFormats)[number];

/** WHATWG labels: 'latin1' decodes as windows-1252 there (as browsers do), and is written the same way. */
export const fileEncodings = ['utf-8', 'utf-16le', 'latin1', 'windows-1252'] as const;
export type FileEncoding = (typeof fileEncodings)[number];

export const columnTypes = ['string', 'number', 'integer', 'boolean', 'date', 'datetime'] as const;
export type ColumnType = (typeof columnTypes)[number];

const pathField = z.string().min(1, 'path is required').meta({
  description: 'File path, relative to the workspace folder or absolute',
  placeholder: 'data/customers.csv',
  widget: 'file',
});
const formatField = z
  .enum(fileFormats)
  .optional()
  .meta({ description: 'csv or jsonl; when empty, taken from the extension (.csv, .tsv, .jsonl, .ndjson)' });
const delimiterField = z.string().min(1).max(3).optional().meta({
  description: 'CSV field delimiter: one character, or \\t / tab; default , (tab for .tsv)',
  placeholder: ',',
});
const encodingField = z.enum(fileEncodings).default('utf-8').meta({ description: 'Text encoding of the file' });
const headerField = z.boolean().default(true).meta({ description: 'CSV: the first line holds the column names' });
const columnsField = z.array(z.string().min(1)).optional();

export const fileSourceConfigSchema = z.object({
  path: pathField,
  format: formatField,
  delimiter: delimiterField,
  encoding: encodingField,
  header: headerField,
  columns: columnsField.meta({
    description:
      'CSV column names: name the fields when header is off (default column1, column2, …), or replace the header names',
  }),
  types: z.record(z.string(), z.enum(columnTypes)).optional().meta({
    description:
      'Column types; values are converted, an empty value becomes null, and a row with an invalid value fails',
  }),
  key: z.string().min(1).optional().meta({ description: 'Column identifying a record (for lineage and logs)' }),
  deltaField: z
    .string()
    .min(1)
    .optional()
    .meta({ description: 'Column for incremental reads: only rows with a greater value than the last run are read' }),
  deltaOrdered: z.boolean().optional().meta({ description: 'The file is sorted by the delta field' }),
});
export type FileSourceConfig = z.infer<typeof fileSourceConfigSchema>;

export const fileDestinationConfigSchema = z.object({
  path: pathField,
  format: formatField,
  delimiter: delimiterField,
  encoding: encodingField,
  header: headerField.meta({ description: 'CSV: write a header line (not when appending to a non-empty file)' }),
  columns: columnsField.meta({
    description:
      'Fields to write, in order. Default: the header of the file being appended to, else the keys of the first ' +
      'record; keys that later records add are not written',
  }),
  mode: z
    .enum(['overwrite', 'append'])
    .default('overwrite')
    .meta({ description: 'overwrite replaces the file when the run succeeds; append adds to it' }),
  lineEnding: z
    .enum(['\n', '\r\n'])
    .default('\n')
    .meta({ description: 'Line ending: LF, or CRLF for tools that want it' }),
});
export type FileDestinationConfig = z.infer<typeof fileDestinationConfigSchema>;

/** What both roles need to know about the file, decided once from the config and the file name. */
export interface ResolvedFile {
  /** The path as configured, for messages the user recognises. */
  path: string;
  absolutePath: string;
  format: FileFormat;
  delimiter: string;
  encoding: FileEncoding;
}

export function parseConfig<T>(schema: z.ZodType<T>, config: unknown, role: string): T {
  const result = schema.safeParse(config);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message));
  throw new ConfigError(`invalid file ${role} config: ${problems.join('; ')}`);
}

export function resolveFile(
  config: { path: string; format?: FileFormat | undefined; delimiter?: string | undefined; encoding: FileEncoding },
  workspaceDir: string,
): ResolvedFile {
  const absolutePath = isAbsolute(config.path) ? config.path : resolve(workspaceDir, config.path);
  const extension = extname(config.path).toLowerCase();
  const format = config.format ?? formatFromExtension(extension);
  if (format === undefined) {
    throw new ConfigError(`cannot tell the format of ${config.path} from its extension: set format to csv or jsonl`);
  }
  return {
    path: config.path,
    absolutePath,
    format,
    delimiter: config.delimiter === undefined ? (extension === '.tsv' ? '\t' : ',') : delimiterOf(config.delimiter),
    encoding: config.encoding,
  };
}

function formatFromExtension(extension: string): FileFormat | undefined {
  if (extension === '.csv' || extension === '.tsv') return 'csv';
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  return undefined;
}

/** Form fields cannot hold a literal tab, so the usual spellings of one are accepted. */
function delimiterOf(value: string): string {
  if (value === '\\t' || value.toLowerCase() === 'tab') return '\t';
  if (value.length !== 1 || value === '"' || value === '\n' || value === '\r') {
    throw new ConfigError(`delimiter must be one character (not a quote or line break), got ${JSON.stringify(value)}`);
  }
  return value;
}
