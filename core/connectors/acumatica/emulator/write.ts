// PUT: create or update (MYOB guide "Update a Record"). The target is the record the body's `id` names, else the one
// a $filter on the URL selects, else the one the body's key fields name; none found means insert (auto-numbered
// keys get their next number). `If-None-Match: *` allows only an insert and `If-Match: *` only an update (412 when
// violated). Detail lines with an `id` are updated (or removed with `"delete": true`), lines without one are added;
// linked entities are merged. Values that do not fit their wrapper type are 400; broken business rules are 422 with
// the submitted entity and an `error` on each field concerned.
import { randomUUID } from 'node:crypto';
import type { AcuCatalog, AcuEntity } from '../catalog.js';
import { AcuError, badRequest, moreThanOneEntity, preconditionFailed } from './errors.js';
import { applyRules, type FieldError } from './rules.js';
import { type AcuStore, keyFieldsOf } from './store.js';
import { type AcuRecord, BindingError, CUSTOM_FIELD_TYPES, toStored, unwrap } from './values.js';

type Json = Record<string, unknown>;

const SYSTEM_PROPERTIES = new Set(['id', 'rowNumber', 'note', 'custom', 'files', '_links', 'error', 'delete']);

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Merges a body (of `entity`) into `target`; binding problems are collected in `problems` by JSON path. */
function applyBody(
  catalog: AcuCatalog,
  entity: AcuEntity,
  target: AcuRecord,
  body: Json,
  path: string,
  problems: Record<string, string[]>,
): void {
  const bind = (at: string, run: () => void) => {
    try {
      run();
    } catch (error) {
      if (!(error instanceof BindingError)) throw error;
      (problems[at] ??= []).push(error.message);
    }
  };
  if (body.note !== undefined) {
    bind(`${path}.note`, () => {
      const inner = unwrap(body.note, `${path}.note`);
      if (inner) target.note = String(inner.value ?? '');
    });
  }
  if (isObject(body.custom)) {
    for (const [view, fields] of Object.entries(body.custom)) {
      for (const [field, wrapper] of Object.entries(isObject(fields) ? fields : {})) {
        bind(`${path}.custom.${view}.${field}`, () => {
          const type = isObject(wrapper) ? String(wrapper.type) : '';
          const wrapperType = CUSTOM_FIELD_TYPES[type];
          if (!wrapperType) throw new BindingError(path, `'${type}' is not a custom field type.`);
          const value = toStored(wrapperType, (wrapper as Json).value, path);
          ((target.custom ??= {})[view] ??= {})[field] = { type, value };
        });
      }
    }
  }
  for (const [name, value] of Object.entries(body)) {
    if (SYSTEM_PROPERTIES.has(name)) continue;
    const at = `${path}.${name}`;
    const field = entity.fields.find((f) => f.name === name);
    if (field) {
      bind(at, () => {
        const inner = unwrap(value, at);
        if (inner) target.fields[name] = toStored(field.type, inner.value, at);
      });
      continue;
    }
    const link = entity.links.find((l) => l.name === name);
    const linked = link && catalog.entity(link.entity);
    // Properties the contract does not know are ignored, as ASP.NET's JSON binding ignores them.
    if (!link || !linked) continue;
    if (!link.collection) {
      if (!isObject(value)) {
        (problems[at] ??= []).push(`${name} is a linked entity: an object is expected.`);
        continue;
      }
      const current = target.links[name];
      const record = (current && !Array.isArray(current) ? current : { id: randomUUID(), fields: {}, links: {} }) as AcuRecord; // prettier-ignore
      applyBody(catalog, linked, record, value, at, problems);
      target.links[name] = record;
      continue;
    }
    if (!Array.isArray(value)) {
      (problems[at] ??= []).push(`${name} is a detail entity: an array is expected.`);
      continue;
    }
    const rows = [...((target.links[name] as AcuRecord[] | undefined) ?? [])];
    value.forEach((item, i) => {
      const itemPath = `${at}[${i}]`;
      if (!isObject(item)) return void (problems[itemPath] ??= []).push('A detail line is an object.');
      const id = typeof item.id === 'string' ? item.id.toLowerCase() : undefined;
      const index = id === undefined ? -1 : rows.findIndex((r) => r.id === id);
      if (id !== undefined && index < 0) {
        return void (problems[itemPath] ??= []).push(`The ${name} line with id ${id} does not exist.`);
      }
      if (item.delete === true) {
        if (index >= 0) rows.splice(index, 1);
        return;
      }
      const row = index >= 0 ? rows[index]! : { id: randomUUID(), fields: {}, links: {} };
      applyBody(catalog, linked, row, item, itemPath, problems);
      if (index < 0) rows.push(row);
    });
    target.links[name] = rows;
  }
}

/** A record made of a body alone (inquiry parameters): no rules, not stored. */
export function bindRecord(catalog: AcuCatalog, entity: AcuEntity, body: unknown): AcuRecord {
  const record: AcuRecord = { id: randomUUID(), fields: {}, links: {} };
  const problems: Record<string, string[]> = {};
  applyBody(catalog, entity, record, isObject(body) ? body : {}, 'entity', problems);
  if (Object.keys(problems).length > 0) throw badRequest('The request is invalid.', problems);
  return record;
}

/** The submitted entity with `error` on each field a rule refused and a summary on the entity (the 422 body). */
function withErrors(body: Json, errors: FieldError[], entity: string, created: boolean): Json {
  const copy = structuredClone(body);
  for (const { path, message } of errors) {
    let node: Json = copy;
    for (const segment of path.slice(0, -1)) {
      const next = (node as Record<string, unknown>)[segment];
      if (!next || typeof next !== 'object') break;
      node = next as Json;
    }
    const field = path[path.length - 1]!;
    node[field] = { ...(isObject(node[field]) ? node[field] : {}), error: message };
  }
  copy.error = `${created ? 'Inserting' : 'Updating'} '${entity}' record raised at least one error. Please review the errors.`; // prettier-ignore
  return copy;
}

export interface PutRequest {
  catalog: AcuCatalog;
  entity: AcuEntity;
  store: AcuStore;
  now: () => number;
  body: unknown;
  headers: Record<string, string | undefined>;
  /** Records a $filter on the PUT URL selects (undefined: no $filter). */
  filtered?: AcuRecord[];
}

/** Runs one PUT; returns the saved record (and whether it was created) or throws the API error. */
export function upsert(request: PutRequest): { record: AcuRecord; created: boolean } {
  const { catalog, entity, store, body, headers } = request;
  if (!isObject(body)) throw badRequest('The request is invalid.', { entity: ['The request body must be a JSON object.'] }); // prettier-ignore
  let existing: AcuRecord | undefined;
  if (typeof body.id === 'string') existing = store.find(entity.name, body.id);
  if (!existing && request.filtered) {
    if (request.filtered.length > 1) throw moreThanOneEntity();
    existing = request.filtered[0];
  }
  const keys = keyFieldsOf(entity.name);
  if (!existing && keys.length > 0) {
    const values = keys.map((k) => {
      const inner = isObject(body[k]) ? (body[k] as Json).value : undefined;
      return inner === undefined || inner === null || inner === '' ? null : (inner as string);
    });
    if (values.every((v) => v !== null)) existing = store.findByKeys(entity.name, values);
  }
  if (headers['if-none-match']?.trim() === '*' && existing) throw preconditionFailed(true);
  if (headers['if-match']?.trim() === '*' && !existing) throw preconditionFailed(false);

  const created = !existing;
  const record: AcuRecord = existing ? structuredClone(existing) : { id: randomUUID(), fields: {}, links: {} };
  const problems: Record<string, string[]> = {};
  applyBody(catalog, entity, record, body, 'entity', problems);
  if (Object.keys(problems).length > 0) throw badRequest('The request is invalid.', problems);
  const errors = applyRules(entity.name, record, { store, now: request.now, created });
  const key = store.keyOf(entity.name, record);
  const clash = key === undefined ? undefined : store.findByKeys(entity.name, keys.map((k) => record.fields[k] ?? null)); // prettier-ignore
  if (clash && clash.id !== record.id) {
    errors.push({ path: [keys[keys.length - 1]!], message: `Another ${entity.name} record has the same key values.` });
  }
  if (errors.length > 0) throw new AcuError(422, withErrors(body, errors, entity.name, created));
  store.save(entity.name, record, existing);
  return { record, created };
}
