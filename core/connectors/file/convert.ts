import type { ColumnType } from './config.js';
import { NUMBER_TEXT } from '../delta.js';

/** A value that does not fit its column's type; the message completes "row 17, column price: …". */
export class ConversionError extends Error {}

export type Converter = (value: unknown) => unknown;

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
    case 'number': {
      const slow = typed('number', 'a number', (s) => {
        const n = NUMBER_TEXT.test(s) ? Number(s) : NaN;
        return Number.isFinite(n) ? n : undefined; // "1e400" is decimal but not a usable number
      });
      // Typed numbers are on the hot path of most CSV flows: plain decimals are read directly, the rest by regex.
      return (v) => {
        if (typeof v === 'string') {
          const n = plainDecimal(v, true);
          if (n !== undefined) return n;
        }
        return slow(v);
      };
    }
    case 'integer': {
      const slow = typed(
        'number',
        'an integer',
        (s) => {
          if (!INTEGER.test(s)) return undefined;
          const n = Number(s);
          return Number.isSafeInteger(n) ? n : undefined;
        },
        Number.isInteger,
      );
      return (v) => {
        if (typeof v === 'string') {
          const n = plainDecimal(v, false);
          if (n !== undefined) return n;
        }
        return slow(v);
      };
    }
    case 'boolean': {
      const slow = typed('boolean', 'a boolean (true/false)', (s) => {
        const lower = s.toLowerCase();
        return TRUE.has(lower) ? true : FALSE.has(lower) ? false : undefined;
      });
      return (v) => (v === 'true' ? true : v === 'false' ? false : slow(v));
    }
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

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `Number(text)` for plain decimals such as "-12.50", "7" or ".5" (at most 15 digits), undefined for anything else
 * (blanks, exponents, "0x1F", "Infinity"…), which the regex path then judges. Exact, not an approximation: the
 * digits form an integer below 2^53 and 10^k is exact, so their quotient is the correctly rounded double, the same
 * one Number() returns. A character loop is several times faster than Number() plus a validating regex.
 */
export function plainDecimal(text: string, fraction: boolean): number | undefined {
  const length = text.length;
  const first = text.charCodeAt(0);
  const negative = first === 45;
  let i = negative || first === 43 ? 1 : 0;
  let digits = 0;
  let decimals = -1;
  let value = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      digits++;
      if (decimals >= 0) decimals++;
    } else if (c === 46 && fraction && decimals < 0) {
      decimals = 0;
    } else {
      return undefined;
    }
  }
  if (digits === 0 || digits > 15) return undefined;
  if (decimals > 0) value /= POW10[decimals] as number;
  return negative ? -value : value;
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
