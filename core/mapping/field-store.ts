/**
 * Writing mapped values into output records: top-level targets through generated setters, dotted targets through
 * {@link setNested}, with the field's default applied first.
 */
import type { RecordData } from '../engine/record.js';
import type { Copier, Setter } from './property-access.js';

/** What storing needs to know of a compiled field (see compile-fields.ts). */
export interface StoredField {
  target: string;
  /** Target split on dots; undefined for a top-level target. */
  nested: readonly string[] | undefined;
  /** Writes a top-level target; undefined for a nested one. */
  set: Setter | undefined;
  /** A plain rename of a top-level field (no default, no value map, no lines): see property-access.ts. */
  copy: Copier | undefined;
  hasDefault: boolean;
  defaultValue: unknown;
  /** The default is an object or array: each record gets its own copy. */
  cloneDefault: boolean;
}

/** The field's default when the value is nothing, null or "" (not 0 or false). */
export function withDefault(field: StoredField, value: unknown): unknown {
  if (field.hasDefault && (value === undefined || value === null || value === '')) {
    return field.cloneDefault ? structuredClone(field.defaultValue) : field.defaultValue;
  }
  return value;
}

/**
 * Stores one field's value (default applied) into `out`. Undefined leaves the target out; with `keepUnmapped` it
 * removes the copied input's field of that name, so the output never carries a value the mapping said is nothing.
 */
export function storeValue(
  out: RecordData,
  field: StoredField,
  value: unknown,
  keepUnmapped: boolean,
  owned: Set<object> | undefined,
): void {
  value = withDefault(field, value);
  if (field.set !== undefined) {
    if (value !== undefined) field.set(out, value);
    else if (keepUnmapped) delete out[field.target];
    return;
  }
  setNested(out, field.nested!, value, owned);
}

function assign(o: RecordData, key: string, v: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  else o[key] = v;
}

/** A setter that defines an own property even for `__proto__`. */
export function defineOwn(key: string): Setter {
  return (o, v) => {
    Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  };
}

export function isPlainObject(v: unknown): v is RecordData {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Writes `value` at `path` (`['address', 'city']`), creating objects on the way; undefined removes the leaf.
 * `owned` (keepUnmapped only) holds the objects this record created or copied: objects reached through the shallow
 * copy of the input are copied before being written to, so the input record is never mutated.
 */
export function setNested(
  out: RecordData,
  path: readonly string[],
  value: unknown,
  owned: Set<object> | undefined,
): void {
  let obj = out;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const key = path[i]!;
    const cur = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
    let next: RecordData;
    if (isPlainObject(cur) && (owned === undefined || owned.has(cur))) {
      next = cur;
    } else {
      if (value === undefined && !isPlainObject(cur)) return; // nothing to remove
      next = isPlainObject(cur) ? { ...cur } : {};
      owned?.add(next);
      assign(obj, key, next);
    }
    obj = next;
  }
  const leafKey = path[last]!;
  if (value !== undefined) assign(obj, leafKey, value);
  else delete obj[leafKey];
}
