// The query options of a contract-based request — $select, $expand, $filter, $custom, $top, $skip — read against the
// catalog entity of the endpoint version called. Contract version 4 returns detail and linked entities only when
// $expand names them (on GET and on PUT alike); $select may name their fields as `Details/InventoryID`.
import type { AcuCatalog, AcuEntity } from '../catalog.js';
import { badRequest } from './errors.js';
import { compileAcuFilter, type FieldRef } from './filter.js';
import type { AcuRecord } from './values.js';

export interface Shape {
  /** Selected paths ('OrderNbr', 'Details/InventoryID'); undefined: every field. */
  select?: Set<string>;
  /** Expanded links ('Details', 'MainContact', 'MainContact/Address') and 'files'. */
  expand: Set<string>;
  /** Custom fields asked for with $custom ('Document.UsrColor'). */
  custom: Array<{ view: string; field: string }>;
}

export interface EntityQuery extends Shape {
  filter?: (record: AcuRecord) => boolean;
  top?: number;
  skip: number;
}

const invalid = (option: string, message: string) => badRequest(`The request is invalid.`, { [option]: [message] });

const list = (text: string | null) =>
  (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

function linkTarget(catalog: AcuCatalog, entity: AcuEntity, name: string) {
  const link = entity.links.find((l) => l.name === name);
  return link && { link, target: catalog.entity(link.entity) };
}

/** Checks that every segment but the last names a link and returns the entity the last segment sits in. */
function walk(catalog: AcuCatalog, entity: AcuEntity, segments: string[], option: string, path: string): AcuEntity {
  let current = entity;
  for (const segment of segments) {
    const found = linkTarget(catalog, current, segment);
    if (!found?.target) throw invalid(option, `'${segment}' in '${path}' is not a linked or detail entity of ${current.name}.`); // prettier-ignore
    current = found.target;
  }
  return current;
}

function nonNegative(params: URLSearchParams, name: string): number | undefined {
  const text = params.get(name);
  if (text === null) return undefined;
  if (!/^\d+$/.test(text)) throw invalid(name, `The value '${text}' is not valid for ${name}.`);
  return Number(text);
}

export function parseShape(params: URLSearchParams, catalog: AcuCatalog, entity: AcuEntity): Shape {
  const expand = new Set<string>();
  for (const path of list(params.get('$expand'))) {
    if (path === 'files') {
      expand.add(path);
      continue;
    }
    const segments = path.split('/');
    walk(catalog, entity, segments, '$expand', path);
    // MainContact/Address expands MainContact too.
    for (let i = 1; i <= segments.length; i++) expand.add(segments.slice(0, i).join('/'));
  }
  let select: Set<string> | undefined;
  if (params.has('$select')) {
    select = new Set();
    for (const path of list(params.get('$select'))) {
      const segments = path.split('/');
      const last = segments.pop()!;
      const owner = walk(catalog, entity, segments, '$select', path);
      const known = ['id', 'note', 'files', 'rowNumber'].includes(last) || owner.fields.some((f) => f.name === last) || owner.links.some((l) => l.name === last); // prettier-ignore
      if (!known) throw invalid('$select', `The field '${last}' is not found in the ${owner.name} entity.`);
      select.add(path);
    }
  }
  const custom = list(params.get('$custom')).map((path) => {
    const at = path.indexOf('.');
    if (at <= 0) throw invalid('$custom', `'${path}' is not a custom field (expected View.Field).`);
    return { view: path.slice(0, at), field: path.slice(at + 1) };
  });
  return { ...(select ? { select } : {}), expand, custom };
}

/** What a $filter path reads from a record of `entity`. */
export function filterResolver(catalog: AcuCatalog, entity: AcuEntity) {
  return (path: string[], custom?: { view: string; field: string; type: string }): FieldRef => {
    if (custom) {
      return { type: custom.type, read: (r) => (r as AcuRecord | undefined)?.custom?.[custom.view]?.[custom.field]?.value }; // prettier-ignore
    }
    const fieldName = path[path.length - 1]!;
    let owner = entity;
    for (const segment of path.slice(0, -1)) {
      const found = linkTarget(catalog, owner, segment);
      if (!found?.target) throw invalid('$filter', `'${segment}' is not a linked entity of ${owner.name}.`);
      if (found.link.collection) {
        throw invalid('$filter', `Filtering by fields of the detail entity '${segment}' is not supported.`);
      }
      owner = found.target;
    }
    const field = owner.fields.find((f) => f.name === fieldName);
    if (!field) throw invalid('$filter', `The field '${fieldName}' is not found in the ${owner.name} entity.`);
    return {
      type: field.type,
      read: (r) => {
        let record = r as AcuRecord | undefined;
        for (const segment of path.slice(0, -1)) record = record?.links[segment] as AcuRecord | undefined;
        return record?.fields[fieldName];
      },
    };
  };
}

/** The paths of the fields a PUT body sets ('CustomerClass', 'BillingContact/Attention', 'Details/OrderQty'). */
export function bodyPaths(body: unknown, prefix = ''): string[] {
  if (!body || typeof body !== 'object') return [];
  const rows = Array.isArray(body) ? body : [body];
  return rows.flatMap((row) =>
    Object.entries(row as Record<string, unknown>).flatMap(([name, value]) => {
      if (['id', 'rowNumber', 'custom', 'delete', 'files', '_links'].includes(name)) return [];
      const isWrapper = value && typeof value === 'object' && !Array.isArray(value) && ('value' in value || Object.keys(value).length === 0); // prettier-ignore
      return isWrapper ? [`${prefix}${name}`] : bodyPaths(value, `${prefix}${name}/`);
    }),
  );
}

export function parseQuery(params: URLSearchParams, catalog: AcuCatalog, entity: AcuEntity): EntityQuery {
  const query: EntityQuery = { ...parseShape(params, catalog, entity), skip: nonNegative(params, '$skip') ?? 0 };
  const top = nonNegative(params, '$top');
  if (top !== undefined) query.top = top;
  const filter = params.get('$filter');
  if (filter !== null && filter.trim() !== '') {
    const { predicate, fields } = compileAcuFilter(filter, filterResolver(catalog, entity));
    query.filter = (record) => predicate(record);
    // The fields a $filter compares come back with a $select too (the training's I320 course relies on it).
    for (const path of fields) query.select?.add(path);
  }
  return query;
}
