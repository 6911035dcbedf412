import type { ColumnType } from './config.js';

/** A value that does not fit its column's type; the message completes "row 17, column price: …". */
export class ConversionError extends Error {}

export type Converter = (value: unknown) => unknown;

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/**
 * CSV cells are text; typed columns are converted here. JSON Lines values pass through when they already have the
 * right JSON type and are converted when they are strings. Dates stay ISO 8601 strings (records are JSON-shaped
 * all the way to the run log), but only valid ones get through.
 */
export function converterFor(type: ColumnType): Converter {
  switch (type) {
    case 'string':
      return (v) =>
        v === null || v === undefined || typeof v === 'string' ? v : typeof v === 'object' ? v : String(v);
    case 'number':
      return typed('number', 'a number', (s) => (NUMBER.test(s) ? Number(s) : undefined));
    case 'integer':
      return typed(
        'number',
        'an integer',
        (s) => {
          if (!INTEGER.test(s)) return undefined;
          const n = Number(s);
          return Number.isSafeInteger(n) ? n : undefined;
        },
        Number.isInteger,
      );
    case 'boolean':
      return typed('boolean', 'a boolean (true/false)', (s) => {
        const lower = s.toLowerCase();
        return TRUE.has(lower) ? true : FALSE.has(lower) ? false : undefined;
      });
    case 'date':
      return typed('string', 'a date (YYYY-MM-DD)', parseDate);
    case 'datetime':
      return typed('string', 'a date-time (ISO 8601)', parseDateTime);
  }
}

function typed(
  jsonType: 'number' | 'boolean' | 'string',
  expected: string,
  parse: (text: string) => unknown,
  accepts: (value: unknown) => boolean = () => true,
): Converter {
  return (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value === 'string') {
      const text = value.trim();
      if (text === '') return null;
      const converted = parse(text);
      if (converted !== undefined) return converted;
    } else if (typeof value === jsonType && jsonType !== 'string' && accepts(value)) {
      return value;
    }
    throw new ConversionError(`expected ${expected}, got ${preview(value)}`);
  };
}

function parseDate(text: string): string | undefined {
  const m = DATE.exec(text);
  if (!m) return undefined;
  return isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3])) ? text : undefined;
}

/**
 * With an offset the instant is known and is normalised to UTC; without one it is a wall-clock time and stays as
 * written (with a "T"), since converting it would depend on this machine's time zone.
 */
function parseDateTime(text: string): string | undefined {
  const dateOnly = parseDate(text);
  if (dateOnly !== undefined) return dateOnly;
  const m = DATETIME.exec(text);
  if (!m) return undefined;
  const [, date, hh, mm, ss = '00', fraction = '', zone] = m as unknown as string[];
  const [y, mo, d] = (date as string).split('-').map(Number) as [number, number, number];
  if (!isCalendarDate(y, mo, d) || Number(hh) > 23 || Number(mm) > 59 || Number(ss) > 59) return undefined;
  const local = `${date}T${hh}:${mm}:${ss}${fraction}`;
  if (zone === undefined) return local;
  const time = Date.parse(`${local}${zone.toUpperCase() === 'Z' ? 'Z' : normaliseOffset(zone)}`);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

function normaliseOffset(zone: string): string {
  return zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
}

function isCalendarDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
