/**
 * A flow record as the body of a Lightspeed write, checked and converted against the fields that write takes (the
 * catalog's, from the spec): CSV text to numbers, integers and booleans, dates checked, nested lines converted by
 * their own fields. Fields Lightspeed maintains (id, version, balances…) are left out; an unknown field fails the
 * record with the likely name; an empty value is no value (never a blank that wipes what Lightspeed holds).
 */
import type { RecordData } from '../../engine/record.js';
import { NUMBER_TEXT } from '../delta.js';
import type { LsEntity, LsField } from './catalog.js';

export type Converted = { ok: true; body: RecordData } | { ok: false; error: string };

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

type Value = { value: unknown } | { error: string } | undefined;

function scalar(field: LsField, value: unknown): Value {
  switch (field.type) {
    case 'string':
      return typeof value === 'object' ? { error: 'expected text' } : { value: String(value) };
    case 'number':
    case 'integer': {
      const n = typeof value === 'string' && NUMBER_TEXT.test(value.trim()) ? Number(value.trim()) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return { error: `expected a number, got ${JSON.stringify(value)}` }; // prettier-ignore
      if (field.type === 'integer' && !Number.isInteger(n)) return { error: `expected a whole number, got ${n}` };
      return { value: n };
    }
    case 'boolean': {
      if (typeof value === 'boolean') return { value };
      const text = String(value).trim().toLowerCase();
      if (TRUE.has(text)) return { value: true };
      if (FALSE.has(text)) return { value: false };
      return { error: `expected true or false, got ${JSON.stringify(value)}` };
    }
    case 'date':
    case 'datetime': {
      const text = value instanceof Date ? value.toISOString() : String(value).trim();
      if (!ISO.test(text) || Number.isNaN(Date.parse(text))) return { error: `expected a date (ISO 8601), got ${JSON.stringify(value)}` }; // prettier-ignore
      return { value: field.type === 'date' ? text.slice(0, 10) : text };
    }
    default:
      return { error: `expected ${field.type === 'array' ? 'a list' : 'an object'}` };
  }
}

function convert(field: LsField, value: unknown, path: string): Value {
  if (value === undefined || value === '') return undefined;
  if (value === null) return field.nullable ? { value: null } : undefined;
  if (field.type === 'array') {
    if (!Array.isArray(value)) return { error: `${path}: expected a list` };
    const items: unknown[] = [];
    for (const [i, item] of value.entries()) {
      const at = `${path}[${i}]`;
      if (field.fields) {
        const nested = convertObject(field.fields, item, at, true);
        if (!nested.ok) return { error: nested.error };
        items.push(nested.body);
      } else {
        const converted = scalar({ name: field.name, type: field.items ?? 'string' }, item);
        if (converted && 'error' in converted) return { error: `${at}: ${converted.error}` };
        items.push(converted?.value);
      }
    }
    return { value: items };
  }
  if (field.type === 'object') {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return { error: `${path}: expected an object` };
    if (!field.fields) return { value };
    const nested = convertObject(field.fields, value, path, true);
    return nested.ok ? { value: nested.body } : { error: nested.error };
  }
  const converted = scalar(field, value);
  if (converted && 'error' in converted) return { error: `${path}: ${converted.error}` };
  if (converted && field.enum && !field.enum.includes(String(converted.value))) {
    return { error: `${path}: ${JSON.stringify(converted.value)} is not one of ${field.enum.join(', ')}` };
  }
  return converted;
}

function convertObject(fields: readonly LsField[], data: unknown, path: string, required: boolean): Converted {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { ok: false, error: `${path}: expected an object` }; // prettier-ignore
  const body: RecordData = {};
  for (const [name, value] of Object.entries(data as RecordData)) {
    const field = fields.find((f) => f.name === name);
    const at = path ? `${path}.${name}` : name;
    if (!field) return { ok: false, error: `${at}: not a field Lightspeed takes here${hint(name, fields)}` };
    const converted = convert(field, value, at);
    if (converted && 'error' in converted) return { ok: false, error: converted.error };
    if (converted) body[name] = converted.value;
  }
  if (required) {
    const missing = fields.find((f) => f.required && !(f.name in body));
    if (missing) return { ok: false, error: `${path ? `${path}.` : ''}${missing.name}: required` };
  }
  return { ok: true, body };
}

/**
 * The body of a create (`required` checked) or an update of `entity` from a record. Fields the entity only reads
 * and `leaveOut` (create-only fields on an update, the key of an update by id) are dropped first.
 */
export function recordBody(
  entity: LsEntity,
  kind: 'create' | 'update',
  data: RecordData,
  leaveOut: readonly string[] = [],
): Converted {
  const write = entity[kind];
  if (!write) return { ok: false, error: `Lightspeed does not ${kind} ${entity.name}` };
  const readOnly = new Set(entity.fields.filter((f) => f.readOnly).map((f) => f.name));
  const kept: RecordData = {};
  for (const [name, value] of Object.entries(data)) {
    if (readOnly.has(name) || leaveOut.includes(name)) continue;
    kept[name] = value;
  }
  const converted = convertObject(write.fields, kept, '', kind === 'create');
  if (converted.ok || kind !== 'create') return converted;
  return { ok: false, error: `${converted.error}${converted.error.endsWith(': required') ? ` to create ${entity.name} in Lightspeed` : ''}` }; // prettier-ignore
}

/** " (did you mean price_excluding_tax?)" for a near miss: another case, spacing, or a typo or two. */
function hint(name: string, fields: readonly LsField[]): string {
  const plain = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  const near = fields.find((f) => plain(f.name) === plain(name)) ?? fields.find((f) => distance(f.name, name) <= 2);
  return near ? ` (did you mean ${near.name}?)` : '';
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length]!;
}
