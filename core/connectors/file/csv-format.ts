/**
 * Record → CSV text. Hand-written for the same reason as the parser (docs/decisions/csv-parser.md): the writer sits
 * on the hot path of every file→file flow and a per-record stream object costs more than the formatting itself.
 */

export interface CsvFormatOptions {
  columns: readonly string[];
  delimiter: string;
  lineEnding: '\n' | '\r\n';
}

export interface CsvFormatter {
  header(): string;
  /** One line (with its line ending). Throws when a value cannot be written (an invalid Date, a cyclic object). */
  row(record: Record<string, unknown>): string;
  /** Line breaks written inside quoted values so far: a record's line number in the file depends on them. */
  readonly embeddedLineBreaks: number;
}

export function createCsvFormatter(options: CsvFormatOptions): CsvFormatter {
  const { columns, delimiter, lineEnding } = options;
  const needsQuotes = new RegExp(`[${escapeForCharClass(delimiter)}"\\r\\n]`);
  const count = columns.length;
  let breaks = 0;

  const cell = (text: string): string => {
    if (!needsQuotes.test(text)) return text;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks++;
    return `"${text.replaceAll('"', '""')}"`;
  };

  return {
    header: () => columns.map(cell).join(delimiter) + lineEnding,
    row(record) {
      const mark = breaks;
      try {
        let line = '';
        for (let c = 0; c < count; c++) {
          if (c > 0) line += delimiter;
          const value = record[columns[c] as string];
          // Strings first: they are almost every value a CSV→CSV flow carries.
          if (typeof value === 'string') line += cell(value);
          else if (value !== null && value !== undefined) line += cell(stringify(value));
        }
        return line + lineEnding;
      } catch (error) {
        breaks = mark;
        throw error;
      }
    },
    get embeddedLineBreaks() {
      return breaks;
    },
  };
}

/** How a non-string value looks in a cell; JSON for structures so they survive a round trip through a parser. */
export function stringify(value: unknown): string {
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      if (value instanceof Date) return value.toISOString();
      return JSON.stringify(value) ?? '';
    default:
      return String(value);
  }
}

function escapeForCharClass(ch: string): string {
  return /[\\\]^-]/.test(ch) ? `\\${ch}` : ch;
}
