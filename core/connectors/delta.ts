/**
 * Ordering of delta-field values (watermarks, `--since`). Sources hand over whatever their data holds — numbers,
 * numeric strings from a CSV, ISO timestamps, Dates — and a watermark is stored as text, so the comparison decides
 * by what both sides look like rather than by their JavaScript type: "9" < "10" numerically, two ISO timestamps
 * by instant (so "2024-01-02T10:00:00+02:00" < "2024-01-02T09:00:00Z"), anything else by code-unit order.
 */

/** `text` keeps the original spelling for the string fallback when the two sides are of different kinds. */
type Classified =
  { kind: 'missing' } | { kind: 'number' | 'date'; value: number; text: string } | { kind: 'string'; text: string };

/** A number as text: CSV cells, watermarks, `--since`. */
export const NUMBER_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

function classify(value: unknown): Classified {
  if (value === null || value === undefined || value === '') return { kind: 'missing' };
  if (typeof value === 'number') {
    return Number.isFinite(value) ? { kind: 'number', value, text: String(value) } : { kind: 'missing' };
  }
  if (typeof value === 'bigint') return { kind: 'number', value: Number(value), text: String(value) };
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? { kind: 'missing' } : { kind: 'date', value: time, text: value.toISOString() };
  }
  const text = typeof value === 'string' ? value.trim() : String(value);
  if (NUMBER_TEXT.test(text)) return { kind: 'number', value: Number(text), text };
  if (ISO_DATE.test(text)) {
    const time = Date.parse(text);
    if (!Number.isNaN(time)) return { kind: 'date', value: time, text };
  }
  return { kind: 'string', text };
}

function compareClassified(a: Classified, b: Classified): number {
  // A record without a delta value is never "after" a watermark, and never becomes one.
  if (a.kind === 'missing' || b.kind === 'missing') return a.kind === b.kind ? 0 : a.kind === 'missing' ? -1 : 1;
  if (a.kind !== 'string' && b.kind !== 'string' && a.kind === b.kind) return Math.sign(a.value - b.value);
  return a.text < b.text ? -1 : a.text > b.text ? 1 : 0;
}

/**
 * Negative when a < b, 0 when equal, positive when a > b. Numbers (or numeric strings) compare numerically when
 * both are, ISO dates (or Dates) as instants when both are, everything else as strings; empty values sort first.
 */
/** What a watermark or `--since` value is: a number (version cursor), an ISO date/date-time, or neither. */
export function deltaValueKind(value: string): 'number' | 'date' | 'other' {
  const kind = classify(value).kind;
  return kind === 'number' || kind === 'date' ? kind : 'other';
}

export function compareDeltaValues(a: unknown, b: unknown): number {
  return compareClassified(classify(a), classify(b));
}

/** `value => compareDeltaValues(value, since) > 0`, with `since` classified once for the millions of rows to test. */
export function isAfter(since: unknown): (value: unknown) => boolean {
  const threshold = classify(since);
  return (value) => compareClassified(classify(value), threshold) > 0;
}
