// Product categories (spec: "Product types are now product categories"; `product_type_id` and
// `product_category_id` name the same record). They are kept in the `product_types` collection — which the
// deprecated GET /product_types still lists — each with its `category_path` from the root to itself.
// GET /api/2.0/product_categories answers `{page_info: {has_next, last_seen}, data: {categories}}` sorted by the full
// path (ListProductCategories); POST /api/2.0/product_categories/bulk creates and renames them, new ones referring to
// each other by `payload_id` (CreateUpdateProductCategories).
import { badRequest } from './errors.js';
import type { LsRecord, LsStore } from './store.js';

type Json = Record<string, unknown>;
type PathStep = { id: string; name: string };

const pathOf = (record: LsRecord) => (record.category_path as PathStep[] | undefined)?.length ? (record.category_path as PathStep[]) : [{ id: record.id, name: String(record.name) }]; // prettier-ignore

/** A stored product type as the spec's ProductCategory. */
function category(store: LsStore, record: LsRecord): Json {
  const path = pathOf(record);
  const parent = path.length > 1 ? path[path.length - 2]!.id : null;
  const leaf = !store.active('product_types').some((other) => pathOf(other).slice(0, -1).some((s) => s.id === record.id)); // prettier-ignore
  return { id: record.id, name: record.name, root_category_id: path[0]!.id, parent_category_id: parent, leaf_category: leaf, category_path: path }; // prettier-ignore
}

const fullName = (c: Json) => (c.category_path as PathStep[]).map((s) => s.name).join('\u0000');

/** GET /api/2.0/product_categories: `parent` (an id, or "none" for roots), `page_size` (default 1000), `after` (an id). */
export function listCategories(store: LsStore, query: URLSearchParams): Json {
  let all = store.active('product_types').map((r) => category(store, r));
  all.sort((a, b) => (fullName(a) < fullName(b) ? -1 : fullName(a) > fullName(b) ? 1 : 0));
  const parent = query.get('parent');
  if (parent === 'none') all = all.filter((c) => c.parent_category_id === null);
  else if (parent) {
    const children = query.get('include') === 'children';
    all = all.filter((c) => children ? c.parent_category_id === parent : (c.category_path as PathStep[]).slice(0, -1).some((s) => s.id === parent)); // prettier-ignore
  }
  const after = query.get('after');
  if (after) all = all.slice(all.findIndex((c) => c.id === after) + 1);
  const size = Number(query.get('page_size') ?? 1000) || 1000;
  const page = all.slice(0, size);
  const more = all.length > page.length;
  return { page_info: { has_next: more, ...(more ? { last_seen: page[page.length - 1]!.id } : {}) }, data: { categories: page } }; // prettier-ignore
}

/** POST /api/2.0/product_categories/bulk: the categories created or updated, in the order given. */
export function bulkCategories(store: LsStore, body: unknown): Json[] {
  const list = (body as { categories?: unknown } | undefined)?.categories;
  if (!Array.isArray(list) || list.length === 0) throw badRequest('categories: expected a list of categories');
  const byPayload = new Map<string, LsRecord>();
  return (list as Json[]).map((input, i) => {
    const at = `categories[${i}]`;
    const name = typeof input.name === 'string' ? input.name.trim() : '';
    if (!name) throw badRequest(`${at}.name: required`);
    if (typeof input.id === 'string') {
      const existing = store.get('product_types', input.id);
      if (!existing || existing.deleted_at) throw badRequest(`${at}.id: no category ${input.id}`);
      const path = pathOf(existing).map((s) => (s.id === existing.id ? { ...s, name } : s));
      const saved = store.put('product_types', { ...existing, name, category_path: path });
      return { id: saved.id, name, parent_category_id: path.length > 1 ? path[path.length - 2]!.id : null };
    }
    const parentId = input.parent_category_id as string | undefined;
    const parent = parentId ? store.get('product_types', parentId) : input.payload_parent_category_id ? byPayload.get(String(input.payload_parent_category_id)) : undefined; // prettier-ignore
    if ((parentId || input.payload_parent_category_id) && !parent) throw badRequest(`${at}: no parent category ${String(parentId ?? input.payload_parent_category_id)}`); // prettier-ignore
    const siblings = store.active('product_types').filter((r) => { const p = pathOf(r); return p.length === (parent ? pathOf(parent).length + 1 : 1) && (!parent || p[p.length - 2]!.id === parent.id); }); // prettier-ignore
    if (siblings.some((s) => String(s.name).toLowerCase() === name.toLowerCase())) throw badRequest(`${at}.name: a category "${name}" exists already there`); // prettier-ignore
    const id = store.newId();
    const path = [...(parent ? pathOf(parent) : []), { id, name }];
    const saved = store.put('product_types', { id, name, leaf_category: true, category_path: path, deleted_at: null });
    if (typeof input.payload_id === 'string') byPayload.set(input.payload_id, saved);
    return { id, ...(typeof input.payload_id === 'string' ? { payload_id: input.payload_id } : {}), name, parent_category_id: parent?.id ?? null }; // prettier-ignore
  });
}
