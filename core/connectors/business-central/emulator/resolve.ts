// Resolves a resource path below a company to what it names: a collection (maybe contained in a parent entity), an
// entity by key, `$count`, or a bound action.
import { type BcApiVersion, bcCatalog } from '../catalog.js';
import { companyNotFound, noDefaultCompany, notFoundSegment, recordNotFound } from './errors.js';
import { type PathSegment, parseKey } from './path.js';
import { pictureOrEmpty } from './pictures.js';
import { type BcStore, keyString, rowKey, type StoredRow } from './store.js';
import { type ApiView, apiView } from './views.js';

export interface Scope {
  companyId: string;
  /** `companies(<id>)/…` in the path (the context URL repeats it) rather than `?company=`. */
  inPath: boolean;
}

export interface ParentLink {
  view: ApiView;
  stored: StoredRow;
  constraint: { property: string; referencedProperty: string };
}

export interface CollectionTarget {
  kind: 'collection';
  view: ApiView;
  scope: Scope;
  parent?: ParentLink;
  /** Path of the collection for @odata.context, e.g. `companies(<id>)/salesOrders(<id>)/salesOrderLines`. */
  contextPath: string;
}

export type Target =
  | CollectionTarget
  | { kind: 'entity'; collection: CollectionTarget; stored: StoredRow }
  | { kind: 'count'; collection: CollectionTarget }
  | { kind: 'action'; collection: CollectionTarget; stored: StoredRow; action: string }
  /** A media stream property of an entity (`…/picture/pictureContent`). */
  | { kind: 'stream'; collection: CollectionTarget; stored: StoredRow; property: string };

/** The company a request addresses: `companies(<id>)/…` or `?company=<id or name>`. */
export function resolveScope(
  store: BcStore,
  segments: PathSegment[],
  company: string | null,
): { scope: Scope; rest: PathSegment[] } {
  const [first, ...rest] = segments;
  if (first?.name === 'companies' && first.key !== undefined) {
    const id = first.key.replace(/^'|'$/g, '');
    const found = store.company(id);
    if (!found) throw companyNotFound(id);
    return { scope: { companyId: String(found.id), inPath: true }, rest };
  }
  if (company === null) throw noDefaultCompany();
  const found = store.company(company);
  if (!found) throw companyNotFound(company);
  return { scope: { companyId: String(found.id), inPath: false }, rest: segments };
}

export function collectionRows(store: BcStore, target: CollectionTarget): StoredRow[] {
  if (!target.view.storeSet) return [];
  const rows = store.rows(target.scope.companyId, target.view.storeSet);
  const parent = target.parent;
  if (!parent) return rows;
  const value = String(parent.stored.row[parent.constraint.property]).toLowerCase();
  return rows.filter((r) => String(r.row[parent.constraint.referencedProperty]).toLowerCase() === value);
}

/** Finds a member of a collection by the key as the URL gives it (in the version's own key shape). */
export function findByKey(store: BcStore, target: CollectionTarget, keyText: string): StoredRow {
  const set = target.view.set;
  const wanted = keyString(set, parseKey(keyText, set.key));
  // A top-level v2.0 set is stored under the same key the URL gives: no scan of the table.
  if (!target.parent && target.view.version === 'v2.0' && target.view.storeSet === set.name) {
    const direct = store.get(target.scope.companyId, set.name, wanted);
    if (!direct) throw recordNotFound(set.entityType, keyText);
    return direct;
  }
  const members = collectionRows(store, target);
  const found =
    target.view.version === 'v2.0'
      ? members.find((r) => rowKey(set, r.row) === wanted)
      : members.find((r) => rowKey(set, target.view.toView(r.row)) === wanted);
  if (!found) throw recordNotFound(set.entityType, keyText);
  return found;
}

const keyText = (view: ApiView, stored: StoredRow) => {
  const row = view.toView(stored.row);
  return view.set.key
    .map((k) =>
      typeof row[k] === 'string' && view.set.properties.find((p) => p.name === k)?.edmType === 'Edm.String'
        ? `'${String(row[k]).replace(/'/g, "''")}'`
        : String(row[k]),
    ) // prettier-ignore
    .join(',');
};

/** The URL key of a stored row in a view (GUIDs bare, strings quoted), for Location headers and context URLs. */
export { keyText };

export function resolveTarget(store: BcStore, version: BcApiVersion, scope: Scope, segments: PathSegment[]): Target {
  const [first, ...rest] = segments;
  if (!first) throw notFoundSegment('');
  const topView = apiView(version, first.name);
  if (!topView || topView.set.scope !== 'company') throw notFoundSegment(first.name);
  let collection: CollectionTarget = {
    kind: 'collection',
    view: topView,
    scope,
    contextPath: `${scope.inPath ? `companies(${scope.companyId})/` : ''}${first.name}`,
  };
  let entity: StoredRow | undefined = first.key !== undefined ? findByKey(store, collection, first.key) : undefined;

  for (const [i, segment] of rest.entries()) {
    if (segment.name === '$count' && !entity && segment.key === undefined) return { kind: 'count', collection };
    if (!entity) throw notFoundSegment(segment.name);
    const stream = collection.view.set.properties.find((p) => p.name === segment.name && p.edmType === 'Edm.Stream');
    if (stream && segment.key === undefined && i === rest.length - 1) {
      return { kind: 'stream', collection, stored: entity, property: stream.name };
    }
    if (segment.name.startsWith('Microsoft.NAV.')) {
      const action = segment.name.slice('Microsoft.NAV.'.length);
      if (!collection.view.set.actions.includes(action)) throw notFoundSegment(segment.name);
      return { kind: 'action', collection, stored: entity, action };
    }
    const navigation = collection.view.set.navigation.find((n) => n.name === segment.name);
    // Constraints live in the v2.0 catalog; the v1.0 view has the same navigations on the same stored rows.
    const constraint = bcCatalog('v2.0')
      .entitySet(collection.view.storeSet)
      ?.navigation.find((n) => n.name === segment.name)?.constraint;
    const childView = navigation?.entitySet ? apiView(version, navigation.entitySet) : undefined;
    if (!navigation || !constraint || !childView) throw notFoundSegment(segment.name);
    const parentKey = keyText(collection.view, entity);
    collection = {
      kind: 'collection',
      view: childView,
      scope,
      parent: { view: collection.view, stored: entity, constraint },
      contextPath: `${collection.contextPath}(${parentKey})/${segment.name}`,
    };
    if (!navigation.collection) {
      const [found] = collectionRows(store, collection);
      // Every item, customer, … has a picture; one without an image is the empty picture (pictures.ts).
      const single = childView.storeSet === 'pictures' ? pictureOrEmpty(collection.parent!.view.storeSet, entity, found) : found; // prettier-ignore
      if (!single) throw recordNotFound(childView.set.entityType, segment.name);
      entity = single;
      if (segment.key !== undefined) throw notFoundSegment(segment.name);
      continue;
    }
    entity = segment.key !== undefined ? findByKey(store, collection, segment.key) : undefined;
  }
  return entity ? { kind: 'entity', collection, stored: entity } : collection;
}
