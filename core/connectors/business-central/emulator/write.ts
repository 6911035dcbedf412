// POST (201, deep insert of contained lines), PATCH (200, If-Match required) and DELETE (204, If-Match required) as
// BC's API pages answer them (use-odata-to-modify-data.md): bodies checked against the catalog, optimistic
// concurrency by ETag, lastModifiedDateTime kept by the store.
import type { BcEntitySet, BcProperty } from '../catalog.js';
import type { ApiContext, ApiRequest, ApiResponse } from './context.js';
import { removeCustomerRelation } from './contacts.js';
import { computedProperties, HEADER_OF, refreshTotals } from './documents.js';
import { BcError, badRequest, entityChanged, invalidToken, methodNotAllowed } from './errors.js';
import { readEntity } from './read.js';
import { type CollectionTarget, keyText } from './resolve.js';
import { afterInsert, prepareRow } from './rules.js';
import { completeRow, entitySet, etagOf, rowKey, type StoredRow } from './store.js';
import { inputValue, type Row } from './values.js';
import { apiView } from './views.js';

const unknownPropertyError = (type: string, name: string) =>
  badRequest(
    `The property '${name}' does not exist on type '${type}'. Make sure to only use property names that are defined ` +
      'by the type or mark the type as open type.',
  );

function checkProperties(properties: BcProperty[], type: string, body: Row): Row {
  const values: Row = {};
  for (const [name, value] of Object.entries(body)) {
    if (name.includes('@')) continue; // instance annotations (@odata.etag, @odata.context) are not data
    const property = properties.find((p) => p.name === name);
    if (!property) throw unknownPropertyError(type, name);
    values[name] =
      property.properties && value !== null && typeof value === 'object' && !Array.isArray(value)
        ? checkProperties(property.properties, property.edmType, value as Row)
        : inputValue(property, value);
  }
  return values;
}

interface CheckedBody {
  values: Row;
  deep: Array<{ navigation: string; set: string; items: Row[] }>;
}

/** Validates a body against the view's entity type; contained collections may come inline on create. */
function checkBody(set: BcEntitySet, body: unknown, allowDeep: boolean): CheckedBody {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('Invalid Request Body');
  const plain: Row = {};
  const deep: CheckedBody['deep'] = [];
  for (const [name, value] of Object.entries(body as Row)) {
    const navigation = set.navigation.find((n) => n.name === name);
    if (navigation && allowDeep && navigation.collection && navigation.contained && navigation.entitySet) {
      if (!Array.isArray(value)) throw badRequest(`The value of '${name}' must be an array.`);
      deep.push({ navigation: name, set: navigation.entitySet, items: value as Row[] });
    } else plain[name] = value;
  }
  return { values: checkProperties(set.properties, `Microsoft.NAV.${set.entityType}`, plain), deep };
}

/** v1.0 bodies name options by caption: the stored (v2.0) rows hold escaped enum members. */
function toStored(storeSet: string, values: Row): Row {
  const set = entitySet(storeSet);
  const out: Row = {};
  for (const [name, value] of Object.entries(values)) {
    const property = set.properties.find((p) => p.name === name);
    if (!property) continue;
    if (property.enumMembers) out[name] = inputValue(property, value);
    // A v1.0 date-time stored in a v2.0 date field keeps its date.
    else if (property.edmType === 'Edm.Date' && typeof value === 'string') out[name] = value.slice(0, 10);
    else out[name] = value;
  }
  return out;
}

function checkComputed(storeSet: string, values: Row, current: Row): void {
  for (const name of computedProperties(entitySet(storeSet))) {
    if (name in values && values[name] !== current[name]) {
      throw new BcError(400, 'BadRequest_InvalidOperation', `Control '${name}' is read-only.`);
    }
  }
}

/** PATCH and DELETE: the set must allow it, and If-Match must name the current version (or *). */
function guardChange(req: ApiRequest, target: CollectionTarget, stored: StoredRow, change: 'update' | 'delete'): void {
  const { set, storeSet } = target.view;
  if (!set.capabilities[change] || !storeSet) throw methodNotAllowed(req.method, set.name);
  const ifMatch = req.headers['if-match'];
  if (!ifMatch) throw invalidToken();
  if (ifMatch.trim() === '*') return;
  if (!ifMatch.split(',').some((tag) => tag.trim() === etagOf(stored))) throw entityChanged();
}

function touchHeader(ctx: ApiContext, companyId: string, lineSet: string, row: Row): void {
  const header = HEADER_OF.get(lineSet);
  if (header) refreshTotals(ctx.store, companyId, header, String(row.documentId).toLowerCase());
}

/** Inserts one row (and its inline children); returns the stored row. Children are undone if one fails. */
function insert(ctx: ApiContext, target: CollectionTarget, body: unknown, link?: Row): StoredRow {
  const { view, scope } = target;
  if (!view.set.capabilities.create || !view.storeSet) throw methodNotAllowed('POST', view.set.name);
  const { values, deep } = checkBody(view.set, body, true);
  const stored = toStored(view.storeSet, view.fromView(values));
  const set = entitySet(view.storeSet);
  const blank = completeRow(set, {});
  checkComputed(view.storeSet, stored, blank);
  if (target.parent) stored[target.parent.constraint.referencedProperty] = target.parent.stored.row[target.parent.constraint.property]; // prettier-ignore
  Object.assign(stored, link);
  const row = prepareRow(ctx.store, ctx.now, scope.companyId, view.storeSet, blank, stored, true);
  const created = ctx.store.insert(scope.companyId, view.storeSet, row);
  const key = rowKey(set, created.row);
  afterInsert(ctx.store, scope.companyId, view.storeSet, created.row);
  try {
    for (const child of deep) {
      const childView = apiView(view.version, child.set);
      const constraint = set.navigation.find((n) => n.name === child.navigation)?.constraint;
      if (!childView || !constraint) throw badRequest(`Deep insert into '${child.navigation}' is not supported.`);
      for (const item of child.items) {
        insert(ctx, { ...target, view: childView, parent: undefined }, item, { [constraint.referencedProperty]: created.row[constraint.property] }); // prettier-ignore
      }
    }
  } catch (error) {
    remove(ctx, scope.companyId, view.storeSet, key);
    throw error;
  }
  touchHeader(ctx, scope.companyId, view.storeSet, created.row);
  return ctx.store.get(scope.companyId, view.storeSet, key)!;
}

export function createEntity(ctx: ApiContext, req: ApiRequest, target: CollectionTarget): ApiResponse {
  const created = insert(ctx, target, req.body);
  const response = readEntity(ctx, req, target, created, 201);
  response.headers.Location = `${req.root}/${target.contextPath}(${keyText(target.view, created)})`;
  return response;
}

export function updateEntity(
  ctx: ApiContext,
  req: ApiRequest,
  target: CollectionTarget,
  current: StoredRow,
): ApiResponse {
  const { view, scope } = target;
  guardChange(req, target, current, 'update');
  const { values } = checkBody(view.set, req.body, false);
  const changes = toStored(view.storeSet, view.fromView(values));
  checkComputed(view.storeSet, changes, current.row);
  for (const keyName of entitySet(view.storeSet).key) {
    if (keyName in changes && String(changes[keyName]).toLowerCase() !== String(current.row[keyName]).toLowerCase()) {
      throw new BcError(400, 'BadRequest_InvalidOperation', `Control '${keyName}' is read-only.`);
    }
  }
  const row = prepareRow(ctx.store, ctx.now, scope.companyId, view.storeSet, current.row, changes, false);
  const key = rowKey(entitySet(view.storeSet), current.row);
  ctx.store.update(scope.companyId, view.storeSet, key, row);
  touchHeader(ctx, scope.companyId, view.storeSet, row);
  return readEntity(ctx, req, target, ctx.store.get(scope.companyId, view.storeSet, key)!);
}

/** Removes a row and what it contains (a document's lines, a journal's lines). */
function remove(ctx: ApiContext, companyId: string, storeSet: string, key: string): void {
  const stored = ctx.store.get(companyId, storeSet, key);
  if (!stored) return;
  const set = entitySet(storeSet);
  for (const navigation of set.navigation) {
    if (!navigation.collection || !navigation.contained || !navigation.entitySet || !navigation.constraint) continue;
    if (entitySet(navigation.entitySet).containedIn !== storeSet) continue;
    const { property, referencedProperty } = navigation.constraint;
    for (const child of ctx.store.rows(companyId, navigation.entitySet)) {
      if (child.row[referencedProperty] === stored.row[property]) remove(ctx, companyId, navigation.entitySet, rowKey(entitySet(navigation.entitySet), child.row)); // prettier-ignore
    }
  }
  ctx.store.remove(companyId, storeSet, key);
}

export function deleteEntity(
  ctx: ApiContext,
  req: ApiRequest,
  target: CollectionTarget,
  current: StoredRow,
): ApiResponse {
  const { view, scope } = target;
  guardChange(req, target, current, 'delete');
  remove(ctx, scope.companyId, view.storeSet, rowKey(entitySet(view.storeSet), current.row));
  if (view.storeSet === 'customers') removeCustomerRelation(ctx.store, scope.companyId, current.row);
  touchHeader(ctx, scope.companyId, view.storeSet, current.row);
  return { status: 204, headers: {} };
}
