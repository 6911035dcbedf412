/**
 * The query side of a lookup (LookupRuntime.find) for OData-style APIs (Business Central, Acumatica): criteria on
 * one field are asked together, `field eq 'a' or field eq 'b' …`, in as few requests as the URL length allows (BC
 * allows `or` only within one field, and one field is what lookups nearly always match on); criteria on several
 * fields are asked one by one, `f1 eq … and f2 eq …` with `$top=1`. Answers are matched back to their criteria the
 * way those servers compare: text without regard to case, numbers as numbers.
 */
import type { RecordData } from '../engine/record.js';
import { inParallel } from './parallel.js';

/**
 * Longest `$filter` text (URL-encoded) of one request. IIS, in front of BC on premises and Acumatica, refuses query
 * strings over 2,048 bytes by default (maxQueryString); this leaves room for `$select` and the rest of the URL.
 */
export const MAX_LOOKUP_FILTER = 1500;

export interface LookupQuery {
  /** The literal of a value compared with `field`, or undefined when no record can hold it (then: not found). */
  literal(field: string, value: unknown): string | undefined;
  /** The field as the `$filter` names it (`MainContact/Email` for `MainContact.Email`). */
  filterPath(field: string): string;
  /**
   * Records matching the filter; `top` 1 for a single answer, else every matching record. `matched` are the fields
   * the filter compares: a `$select` must include them, or the answers cannot be matched back.
   */
  query(
    filter: string,
    top: number | undefined,
    matched: readonly string[],
    signal: AbortSignal,
  ): Promise<RecordData[]>;
  /** Requests side by side (the connection's pool limits them anyway). */
  parallel: number;
  maxFilterLength?: number;
}

type Criteria = Readonly<Record<string, unknown>>;

/** The first match of each criteria (LookupRuntime.find). */
export async function findByCriteria(
  criteria: readonly Criteria[],
  q: LookupQuery,
  signal: AbortSignal,
): Promise<(RecordData | undefined)[]> {
  return (await matchesByCriteria(criteria, q, signal, 1)).map((matches) => matches[0]);
}

/**
 * Every match of each criteria (LookupRuntime.findAll): the same batched requests, each read to its last page (the
 * `query` follows the server's paging), the answers grouped back per criteria.
 */
export function findAllByCriteria(
  criteria: readonly Criteria[],
  q: LookupQuery,
  signal: AbortSignal,
): Promise<RecordData[][]> {
  return matchesByCriteria(criteria, q, signal, undefined);
}

/** `top` 1: a criteria on several fields asks for one record (the first is all find needs); else for all. */
async function matchesByCriteria(
  criteria: readonly Criteria[],
  q: LookupQuery,
  signal: AbortSignal,
  top: 1 | undefined,
): Promise<RecordData[][]> {
  const answers = criteria.map((): RecordData[] => []);
  const tasks: (() => Promise<void>)[] = [];
  const byField = new Map<string, { index: number; value: unknown; literal: string }[]>();
  criteria.forEach((c, index) => {
    const fields = Object.keys(c);
    const literals = fields.map((f) => q.literal(f, c[f]));
    if (literals.some((l) => l === undefined)) return; // a value the field cannot hold matches nothing
    if (fields.length === 1) {
      const field = fields[0]!;
      let list = byField.get(field);
      if (!list) byField.set(field, (list = []));
      list.push({ index, value: c[field], literal: literals[0]! });
      return;
    }
    const filter = fields.map((f, i) => `${q.filterPath(f)} eq ${literals[i]!}`).join(' and ');
    tasks.push(async () => {
      answers[index] = await q.query(filter, top, fields, signal);
    });
  });
  const limit = q.maxFilterLength ?? MAX_LOOKUP_FILTER;
  for (const [field, items] of byField) {
    const path = q.filterPath(field);
    for (const chunk of chunks(items, (item) => encodeURIComponent(`${path} eq ${item.literal} or `).length, limit)) {
      const filter = chunk.map((item) => `${path} eq ${item.literal}`).join(' or ');
      tasks.push(async () => {
        const records = await q.query(filter, undefined, [field], signal);
        for (const item of chunk) {
          answers[item.index] = records.filter((r) => sameValue(readPath(r, field), item.value));
        }
      });
    }
  }
  await inParallel(tasks.length, q.parallel, signal, (i) => tasks[i]!());
  return answers;
}

/** Splits items so that the summed sizes of each chunk stay within `limit` (a chunk holds at least one item). */
function chunks<T>(items: readonly T[], size: (item: T) => number, limit: number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const s = size(item);
    if (current.length > 0 && total + s > limit) {
      out.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += s;
  }
  if (current.length > 0) out.push(current);
  return out;
}

/** `MainContact.Email` of an unwrapped record. */
export function readPath(record: RecordData, field: string): unknown {
  if (field in record) return record[field];
  let value: unknown = record;
  for (const part of field.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as RecordData)[part];
  }
  return value;
}

/** Equal as the servers compare in a `$filter`: numbers as numbers, text (and GUIDs) without regard to case. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null || b === undefined || b === null) return false;
  if (typeof a === 'number' || typeof b === 'number') return Number(a) === Number(b);
  const text = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v)).toLowerCase();
  return text(a) === text(b);
}

/** A number literal of a value (30, "30", " 2.5 "), or undefined when it is not a number: no record can match it. */
export function numberLiteral(value: unknown): string | undefined {
  const text = String(value).trim();
  const n = typeof value === 'number' ? value : Number(text);
  return text !== '' && Number.isFinite(n) ? String(n) : undefined;
}

/** `true` / `false` of a value (a boolean, or its text in any case), else undefined. */
export function booleanLiteral(value: unknown): string | undefined {
  const text = String(value).toLowerCase();
  return text === 'true' || text === 'false' ? text : undefined;
}
