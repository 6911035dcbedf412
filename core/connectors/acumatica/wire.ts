/**
 * Acumatica's payload shape ↔ the plain records flows see (specs/README.md §3 "Payload shape & types"):
 * - every field is wrapped, `"CustomerID": {"value": "C1"}`; a flow sees `CustomerID: "C1"`;
 * - linked entities are objects (`MainContact.Email`), details arrays of plain objects (`Details[0].OrderQty`);
 * - custom fields live in a `custom` block, view → field → `{type, value}`; a flow sees each as one flat field named
 *   `custom.<View>.<Field>` (`custom.Document.AttrColor`; in JSONata `` `custom.Document.AttrColor` ``). Writing
 *   takes that flat name, or the nested object a map target `custom.Document.AttrColor` builds;
 * - `id` (the record's GUID) stays as is; `rowNumber`, `_links`, `files` and `error` are the server's and dropped.
 * Writes are checked against the catalog: unknown fields, and values the wrapper type cannot hold, fail the record.
 */
import type { RecordData } from '../../engine/record.js';
import type { AcuCatalog, AcuEntity } from './catalog.js';

export const CUSTOM_PREFIX = 'custom.';
const SERVER_ONLY = new Set(['rowNumber', '_links', 'files', 'error', 'delete']);

/** `{"value": x}` → x; linked entities and details recursively; the `custom` block to flat names. */
export function unwrapRecord(wire: RecordData): RecordData {
  const out: RecordData = {};
  for (const [name, value] of Object.entries(wire)) {
    if (SERVER_ONLY.has(name)) continue;
    if (name === 'custom') {
      flattenCustom(value, out);
    } else if (name === 'id') {
      out.id = value;
    } else if (name === 'note') {
      // Every record carries a note, nearly always empty: kept only when it says something.
      const note = isObject(value) ? value.value : value;
      if (note !== undefined && note !== null && note !== '') out.note = note;
    } else if (Array.isArray(value)) {
      out[name] = value.map((item) => (isObject(item) ? unwrapRecord(item) : item));
    } else if (isObject(value)) {
      out[name] = isWrapper(value) ? (value.value ?? null) : unwrapRecord(value);
    } else {
      out[name] = value;
    }
  }
  return out;
}

function flattenCustom(custom: unknown, out: RecordData): void {
  if (!isObject(custom)) return;
  for (const [view, fields] of Object.entries(custom)) {
    if (!isObject(fields)) continue;
    for (const [field, wrapped] of Object.entries(fields)) {
      out[`${CUSTOM_PREFIX}${view}.${field}`] = isObject(wrapped) ? (wrapped.value ?? null) : wrapped;
    }
  }
}

/** `{}` or `{"value": …}` (with `error`, `type` beside it): a wrapped field rather than a linked entity. */
function isWrapper(value: Record<string, unknown>): boolean {
  const keys = Object.keys(value);
  return keys.length === 0 || ('value' in value && keys.every((k) => k === 'value' || k === 'error' || k === 'type'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

export type Wrapped = { ok: true; body: RecordData } | { ok: false; error: string };

/** Custom field wrapper types by the value's JavaScript type, where the instance's schema is not known. */
export type CustomTypes = ReadonlyMap<string, string>;

/**
 * A plain record → the wrapped body of `entity`, checked and converted against the catalog (CSV text to numbers,
 * booleans and dates). `customTypes` (View.Field → CustomStringField…) comes from `$adHocSchema` when known.
 */
export function wrapRecord(
  catalog: AcuCatalog,
  entity: AcuEntity,
  record: RecordData,
  customTypes: CustomTypes = new Map(),
): Wrapped {
  const problems: string[] = [];
  const body = wrapEntity(catalog, entity, record, '', problems, customTypes);
  return problems.length > 0 ? { ok: false, error: problems.join('; ') } : { ok: true, body };
}

function wrapEntity(
  catalog: AcuCatalog,
  entity: AcuEntity,
  record: RecordData,
  path: string,
  problems: string[],
  customTypes: CustomTypes,
): RecordData {
  const body: RecordData = {};
  const custom: Record<string, Record<string, unknown>> = {};
  const addCustom = (view: string, field: string, value: unknown) => {
    if (value === undefined) return;
    (custom[view] ??= {})[field] = { type: customTypes.get(`${view}.${field}`) ?? customType(value), value };
  };
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined || SERVER_ONLY.has(name)) continue;
    const at = `${path}${name}`;
    if (name === 'id') {
      if (value !== null && value !== '') body.id = value;
    } else if (name === 'note') {
      body.note = { value: value === null ? null : String(value) };
    } else if (name.startsWith(CUSTOM_PREFIX)) {
      const [view, ...rest] = name.slice(CUSTOM_PREFIX.length).split('.');
      if (!view || rest.length !== 1) problems.push(`${at}: custom fields are named custom.<View>.<Field>`);
      else addCustom(view, rest[0]!, value);
    } else if (name === 'custom' && isObject(value)) {
      for (const [view, fields] of Object.entries(value))
        if (isObject(fields)) for (const [field, v] of Object.entries(fields)) addCustom(view, field, v);
    } else {
      const field = entity.fields.find((f) => f.name === name);
      const link = field ? undefined : entity.links.find((l) => l.name === name);
      if (field) {
        const converted = convert(field.type, value);
        if ('error' in converted) problems.push(`${at}: ${converted.error}`);
        else body[name] = { value: converted.value };
      } else if (link) {
        const target = catalog.entity(link.entity);
        if (!target) problems.push(`${at}: the catalog has no ${link.entity}`);
        else if (link.collection) {
          if (!Array.isArray(value)) problems.push(`${at}: expected a list of ${link.entity} records`);
          else
            body[name] = value.map((item, i) => {
              if (!isObject(item)) return (problems.push(`${at}[${i}]: expected a record`), {});
              const line = wrapEntity(catalog, target, item, `${at}[${i}].`, problems, customTypes);
              // `delete: true` removes the line (UNCONFIRMED in the spec, widely used).
              if (item.delete === true) line.delete = true;
              return line;
            });
        } else if (value === null) {
          continue;
        } else if (!isObject(value)) problems.push(`${at}: expected an object (the linked ${link.entity})`);
        else body[name] = wrapEntity(catalog, target, value, `${at}.`, problems, customTypes);
      } else {
        problems.push(`${at}: ${entity.name} has no field "${name}"${suggestion(entity, name)}`);
      }
    }
  }
  if (Object.keys(custom).length > 0) body.custom = custom;
  return body;
}

function suggestion(entity: AcuEntity, name: string): string {
  const lower = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  const names = [...entity.fields.map((f) => f.name), ...entity.links.map((l) => l.name)];
  const found = names.find((n) => n.toLowerCase().replace(/[^a-z0-9]/g, '') === lower);
  return found ? ` (did you mean ${found}?)` : '';
}

function customType(value: unknown): string {
  if (typeof value === 'boolean') return 'CustomBooleanField';
  if (typeof value === 'number') return Number.isInteger(value) ? 'CustomIntField' : 'CustomDecimalField';
  if (value instanceof Date) return 'CustomDateTimeField';
  return 'CustomStringField';
}

const INTEGER_RANGE: Record<string, [number, number]> = {
  ByteValue: [0, 255],
  ShortValue: [-32768, 32767],
  IntValue: [-2147483648, 2147483647],
  LongValue: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

/** A value as the wrapper type carries it; null clears the field. */
export function convert(type: string, value: unknown): { value: unknown } | { error: string } {
  if (value === null) return { value: null };
  switch (type) {
    case 'StringValue':
    case 'GuidValue':
      return { value: value instanceof Date ? value.toISOString() : String(value) };
    case 'DecimalValue': {
      const n =
        typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      return Number.isFinite(n) ? { value: n } : { error: `expected a number, got ${JSON.stringify(value)}` };
    }
    case 'BooleanValue': {
      if (typeof value === 'boolean') return { value };
      const text = String(value).trim().toLowerCase();
      if (['true', '1', 'yes'].includes(text)) return { value: true };
      if (['false', '0', 'no'].includes(text)) return { value: false };
      return { error: `expected true or false, got ${JSON.stringify(value)}` };
    }
    case 'DateTimeValue': {
      const time = value instanceof Date ? value.getTime() : Date.parse(String(value));
      if (Number.isNaN(time)) return { error: `expected a date or date-time, got ${JSON.stringify(value)}` };
      return { value: value instanceof Date ? value.toISOString() : String(value) };
    }
  }
  const range = INTEGER_RANGE[type];
  if (range) {
    const n =
      typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isInteger(n)) return { error: `expected a whole number, got ${JSON.stringify(value)}` };
    if (n < range[0] || n > range[1]) return { error: `${n} is outside ${type}'s range ${range[0]}…${range[1]}` };
    return { value: n };
  }
  return { value };
}

/**
 * The per-field errors of a 422 answer (the submitted entity, each wrapper with an `"error"`), and of the entity
 * itself, as "MainContact.Email: Invalid e-mail; Details[1].InventoryID: … cannot be found", in document order.
 */
export function fieldErrors(body: unknown, path = ''): string[] {
  if (!isObject(body)) return [];
  const out: string[] = [];
  if (typeof body.error === 'string' && body.error !== '')
    out.push(path ? `${path.slice(0, -1)}: ${body.error}` : body.error);
  for (const [name, value] of Object.entries(body)) {
    if (name === 'error') continue;
    if (name === 'custom' && isObject(value)) {
      for (const [view, fields] of Object.entries(value))
        if (isObject(fields))
          for (const [field, w] of Object.entries(fields))
            if (isObject(w) && typeof w.error === 'string')
              out.push(`${path}${CUSTOM_PREFIX}${view}.${field}: ${w.error}`);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => out.push(...fieldErrors(item, `${path}${name}[${i}].`)));
    } else if (isObject(value)) {
      if (isWrapper(value)) {
        if (typeof value.error === 'string' && value.error !== '') out.push(`${path}${name}: ${value.error}`);
      } else out.push(...fieldErrors(value, `${path}${name}.`));
    }
  }
  return out;
}

/** The value of each key field of a plain record, or undefined when one is missing. */
export function keyValues(record: RecordData, keys: readonly string[]): string[] | undefined {
  const values = keys.map((k) => record[k]);
  if (values.some((v) => v === undefined || v === null || v === '')) return undefined;
  return values.map(String);
}
