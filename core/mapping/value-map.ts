/**
 * Value maps (payment terms, shipping methods) compiled to hash lookups. Entries are compared as text — the table is
 * edited and imported as CSV, so a number 30 in a record matches the entry "30" — and the first entry for a text wins.
 */
import type { ValueMapFile } from '../model/mapping.js';
import { formatJsonataNumber } from './jsonata-semantics.js';

/** What {@link CompiledValueMap.translate} returns when the value is not in the table and the fallback is "fail". */
export const NOT_IN_MAP: unique symbol = Symbol('ferry.notInMap');

export interface CompiledValueMap {
  readonly id: string;
  readonly name: string;
  /**
   * The translation of a mapped value, or {@link NOT_IN_MAP}. Nothing and null pass through untouched (there is
   * nothing to translate: the field's default applies next); "" is translated when the table has an entry for it and
   * otherwise passes through too. Every other value not in the table gets the fallback (objects, lists and non-finite
   * numbers are never in it).
   */
  translate(value: unknown): unknown;
}

/** A value as the table's text: the text itself, a number as JSONata's `$string` writes it, true/false, JSON. */
export function valueMapText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? formatJsonataNumber(value) : String(value);
  if (typeof value === 'boolean' || value === null || value === undefined) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** The reason a record fails on a value its map does not know: `value "X" is not in value map "Payment terms"`. */
export function notInMapMessage(value: unknown, map: { name: string }): string {
  return `value ${JSON.stringify(valueMapText(value))} is not in value map ${JSON.stringify(map.name)}`;
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

export function compileValueMap(file: ValueMapFile): CompiledValueMap {
  const byText = new Map<string, unknown>();
  // Whole numbers (codes, terms in days) are looked up without making their text per record: an entry whose text is
  // an integer's canonical form ("30", not "030" or "30.0") is also filed under that number.
  const byNumber = new Map<number, unknown>();
  let cloneTo = false;
  for (const { from, to } of file.entries) {
    if (byText.has(from)) continue;
    byText.set(from, to);
    const n = Number(from);
    if (Number.isInteger(n) && String(n) === from && !byNumber.has(n)) byNumber.set(n, to);
    if (isObject(to)) cloneTo = true;
  }
  const fallback = file.fallback;
  const keep = fallback.kind === 'keep';
  const fallbackValue: unknown = fallback.kind === 'value' ? fallback.value : undefined;
  const cloneFallback = isObject(fallbackValue);

  const miss = (value: unknown): unknown => {
    if (keep) return value;
    if (fallback.kind === 'value') return cloneFallback ? structuredClone(fallbackValue) : fallbackValue;
    return NOT_IN_MAP;
  };
  // Objects and arrays among the translations are copied per record, so no two records share (and mutate) one.
  const hit = (to: unknown): unknown => (cloneTo && isObject(to) ? structuredClone(to) : to);

  return {
    id: file.id,
    name: file.name,
    translate(value) {
      let to: unknown;
      switch (typeof value) {
        case 'string':
          to = byText.get(value);
          if (to === undefined) return value === '' ? value : miss(value);
          return hit(to);
        case 'number':
          if (Number.isInteger(value)) to = byNumber.get(value);
          else if (Number.isFinite(value)) to = byText.get(formatJsonataNumber(value));
          return to === undefined ? miss(value) : hit(to);
        case 'boolean':
          to = byText.get(value ? 'true' : 'false');
          return to === undefined ? miss(value) : hit(to);
        case 'undefined':
          return undefined;
        default:
          return value === null ? null : miss(value);
      }
    },
  };
}
