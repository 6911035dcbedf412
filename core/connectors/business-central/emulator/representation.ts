// Entities as BC writes them in JSON: `@odata.etag` first, properties in metadata order, `$select`ed properties
// only, `$expand`ed navigations inline (collections as arrays of entities with their own etags, as in
// samples/salesOrders.json).
import { type BcApiVersion, bcCatalog } from '../catalog.js';
import { type ExpandItem, type Query, defaultOrder, sortRows } from './query.js';
import { type BcStore, etagOf, rowKey, type StoredRow } from './store.js';
import { pictureOrEmpty } from './pictures.js';
import type { Row } from './values.js';
import { type ApiView, apiView } from './views.js';

export const JSON_CONTENT_TYPE = 'application/json; odata.metadata=minimal; odata.streaming=true';

export function contextUrl(root: string, path: string, select?: string[], entity = false): string {
  return `${root}/$metadata#${path}${select ? `(${select.join(',')})` : ''}${entity ? '/$entity' : ''}`;
}

/** Applies $filter/$orderby/$skip/$top of a query to rows of a view (expanded navigations use it whole). */
export function queryRows(view: ApiView, rows: StoredRow[], query: Query) {
  let items = rows.map((stored) => ({ stored, row: view.toView(stored.row), key: rowKey(view.set, stored.row) }));
  if (query.filter) items = items.filter((item) => query.filter!(item.row));
  return sortRows(items, query.orderBy.length ? query.orderBy : defaultOrder(view.set));
}

function expanded(
  store: BcStore,
  version: BcApiVersion,
  companyId: string,
  view: ApiView,
  stored: StoredRow,
  item: ExpandItem,
): unknown {
  const constraint = bcCatalog('v2.0')
    .entitySet(view.storeSet)
    ?.navigation.find((n) => n.name === item.navigation.name)?.constraint;
  const childView = apiView(version, item.set.name);
  if (!constraint || !childView?.storeSet) return item.navigation.collection ? [] : null;
  const value = String(stored.row[constraint.property]).toLowerCase();
  const children = store
    .rows(companyId, childView.storeSet)
    .filter((r) => String(r.row[constraint.referencedProperty]).toLowerCase() === value);
  let items = queryRows(childView, children, item.query);
  if (item.query.skip) items = items.slice(item.query.skip);
  if (item.query.top !== undefined) items = items.slice(0, item.query.top);
  const entities = items.map((child) =>
    entityJson(store, version, companyId, childView, child.stored, item.query, child.row),
  );
  if (!item.navigation.collection && entities.length === 0 && childView.storeSet === 'pictures') {
    const empty = pictureOrEmpty(view.storeSet, stored, undefined);
    return entityJson(store, version, companyId, childView, empty, item.query);
  }
  return item.navigation.collection ? entities : (entities[0] ?? null);
}

/** One entity: etag, selected properties, expanded navigations. `row` is the view row when already computed. */
export function entityJson(
  store: BcStore,
  version: BcApiVersion,
  companyId: string,
  view: ApiView,
  stored: StoredRow,
  query: Pick<Query, 'select' | 'expand'>,
  row: Row = view.toView(stored.row),
): Row {
  const out: Row = { '@odata.etag': etagOf(stored) };
  // Metadata order whatever the order in $select; media streams are never inline (pictures.ts).
  for (const { name, edmType } of view.set.properties) {
    if (edmType !== 'Edm.Stream' && (!query.select || query.select.includes(name))) out[name] = row[name];
  }
  for (const item of query.expand) {
    out[item.navigation.name] = expanded(store, version, companyId, view, stored, item);
  }
  return out;
}
