import type { JsonValue } from './json-value.js';
import type { ValueMapFile } from './mapping.js';

/** One row of a value map's table. */
export type ValueMapEntry = ValueMapFile['entries'][number];

/** A value-map CSV that cannot be imported; `line` is the 1-based line an editor shows the problem on. */
export class ValueMapCsvError extends Error {
  constructor(
    readonly line: number,
    problem: string,
  ) {
    super(`line ${line}: ${problem}`);
    this.name = 'ValueMapCsvError';
  }
}

const HEADER = ['from', 'to'];

function quote(text: string): string {
  return /["\r\n]/.test(text) || text.includes(',') || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Text of a `to` value: CSV has only text, so numbers and booleans are written plainly and objects as JSON. */
function cellText(value: JsonValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Two columns `from,to` with a header, RFC 4180 quoting and CRLF line ends (what spreadsheets expect). */
export function valueMapToCsv(entries: readonly ValueMapEntry[]): string {
  const lines = [HEADER.join(','), ...entries.map((e) => `${quote(e.from)},${quote(cellText(e.to))}`)];
  return `${lines.join('\r\n')}\r\n`;
}

interface Row {
  fields: string[];
  line: number;
}

/**
 * Strict RFC 4180 rows: a quote opens a field only at its start, must be closed, and may be followed only by a
 * delimiter or a line end — a table typed by hand is better refused with its line than imported wrongly.
 */
function parseRows(text: string, delimiter: string): Row[] {
  const rows: Row[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const start = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= text.length) throw new ValueMapCsvError(start, 'a quoted value is not closed');
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        const next = text[i];
        if (next !== undefined && next !== delimiter && next !== '\n' && !(next === '\r' && text[i + 1] === '\n')) {
          throw new ValueMapCsvError(
            line,
            `unexpected text after a closing quote: ${JSON.stringify(text.slice(i, i + 10))}`,
          );
        }
      } else {
        while (
          i < text.length &&
          text[i] !== delimiter &&
          text[i] !== '\n' &&
          !(text[i] === '\r' && text[i + 1] === '\n')
        ) {
          if (text[i] === '"')
            throw new ValueMapCsvError(
              line,
              'a quote inside an unquoted value (quote the whole value and double the quote)',
            );
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') {
        i++;
        line++;
      }
      break;
    }
    // An empty line is a row with one empty field: spreadsheets leave them at the end.
    if (!(fields.length === 1 && fields[0] === '')) rows.push({ fields, line: start });
  }
  return rows;
}

/** The header decides the delimiter: `from,to`, or `from;to` as spreadsheets in many locales save CSV, or a tab. */
function delimiterOf(text: string): string {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  for (const d of [',', ';', '\t']) if (first.includes(d)) return d;
  return ',';
}

/**
 * Reads a two-column `from,to` table with a header. Values are text (CSV has no types); a `from` given twice is
 * refused, because only the first would ever be used. Errors name the line.
 */
export function valueMapFromCsv(csv: string): ValueMapEntry[] {
  const text = csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv;
  const delimiter = delimiterOf(text);
  const rows = parseRows(text, delimiter);
  const [header, ...body] = rows;
  if (!header) throw new ValueMapCsvError(1, 'the file is empty; expected the header "from,to"');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  if (names.length !== 2 || names[0] !== 'from' || names[1] !== 'to') {
    throw new ValueMapCsvError(
      header.line,
      `expected the header "from,to", found ${JSON.stringify(header.fields.join(delimiter))}`,
    );
  }
  const seen = new Map<string, number>();
  return body.map(({ fields, line }) => {
    if (fields.length !== 2) {
      throw new ValueMapCsvError(line, `expected 2 values (from${delimiter}to), found ${fields.length}`);
    }
    const [from, to] = fields as [string, string];
    const earlier = seen.get(from);
    if (earlier !== undefined) {
      throw new ValueMapCsvError(line, `"${from}" is already mapped on line ${earlier}; a value can be mapped once`);
    }
    seen.set(from, line);
    return { from, to };
  });
}
