// The resources of the emulated store, by URL: API 2.0 lists and single records (`{"data": …}`, lists with
// `{"version": {"min", "max"}}`), the writes the spec has (products, customers), /search, and the writes that live
// elsewhere — product and inventory updates in API 2.1, sales in API 0.9. Authentication, the rate limit and the
// fault knobs are the server's (server.ts); this file answers a request that passed them.
import type { Collection, LsRecord, LsStore } from './store.js';
import { badRequest, notFound } from './errors.js';
import { createCustomer, deleteCustomer, updateCustomer } from './customers.js';
import { bulkCategories, listCategories } from './categories.js';
import { imageJson, uploadImage } from './images.js';
import { createProducts, updateProduct } from './products.js';
import { registerSale } from './sales.js';
import { createVariantAttribute } from './variant-attributes.js';

export interface ApiRequest {
  method: string;
  /** Path segments after /api: ['2.0', 'products', '{id}']. */
  segments: string[];
  query: URLSearchParams;
  body: () => unknown;
  /** The body as sent, and its content type (image uploads are multipart/form-data). */
  raw: Buffer;
  contentType: string;
  userId: string;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  /** A write happened (stats). */
  wrote?: boolean;
}

/** API 2.0 list resources and whether they take `deleted` (as the spec's GET parameters say). */
const LISTS: Partial<Record<string, { collection: Collection; deleted: boolean }>> = {
  products: { collection: 'products', deleted: true },
  customers: { collection: 'customers', deleted: true },
  sales: { collection: 'sales', deleted: false },
  inventory: { collection: 'inventory', deleted: false },
  outlets: { collection: 'outlets', deleted: true },
  registers: { collection: 'registers', deleted: true },
  taxes: { collection: 'taxes', deleted: false },
  payment_types: { collection: 'payment_types', deleted: false },
  users: { collection: 'users', deleted: false },
  brands: { collection: 'brands', deleted: true },
  product_types: { collection: 'product_types', deleted: true },
  tags: { collection: 'tags', deleted: true },
  suppliers: { collection: 'suppliers', deleted: true },
  variant_attributes: { collection: 'variant_attributes', deleted: false },
  customer_groups: { collection: 'customer_groups', deleted: true },
};

/** The spec's PageSize default. */
const DEFAULT_PAGE_SIZE = 100;
/** /search: "currently limited to 1000". */
const MAX_SEARCH_PAGE = 1000;

function integer(query: URLSearchParams, name: string, min: number): number | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  if (!/^\d+$/.test(text) || Number(text) < min) throw badRequest(`${name}: expected an integer of at least ${min}`);
  return Number(text);
}

/**
 * A page of a collection: `{data, version: {min, max}}`. An empty page (the end) keeps the cursor where it was, as
 * collections whose schema requires `version` (UserCollection) must still carry one.
 */
function page(records: readonly LsRecord[], after = 0): Record<string, unknown> {
  if (records.length === 0) return { data: [], version: { min: after, max: after } };
  return { data: records, version: { min: records[0]!.version, max: records[records.length - 1]!.version } };
}

function list(store: LsStore, collection: Collection, query: URLSearchParams, deleted: boolean): ApiReply {
  const pageSize = integer(query, 'page_size', 1) ?? DEFAULT_PAGE_SIZE;
  const wantsDeleted = deleted && query.get('deleted') === 'true';
  const after = integer(query, 'after', 0);
  const records = store.list(collection, { after, before: integer(query, 'before', 0), pageSize, deleted: wantsDeleted }); // prettier-ignore
  return { status: 200, body: page(records, after) };
}

/** GET /products?sku= and ?name= / ?family_name=: "all other query params are ignored if this is provided". */
function productsBy(store: LsStore, query: URLSearchParams): ApiReply | undefined {
  const sku = query.get('sku');
  const name = query.get('name') ?? query.get('family_name');
  if (sku === null && name === null) return undefined;
  const found = store.active('products').filter((p) => (sku !== null ? p.sku === sku : p.name === name));
  return { status: 200, body: page(found) };
}

const SEARCH_TYPES: Record<string, Collection> = { products: 'products', customers: 'customers', sales: 'sales' };
/** Parameters that compare text without regard to case (people type e-mail addresses in any case). */
const CASELESS = new Set(['email', 'first_name', 'last_name', 'company_name']);
const PAGING = new Set(['type', 'order_by', 'order_direction', 'page_size', 'offset', 'deleted']);

/** GET /search?type=…: records whose fields equal every given parameter (repeated parameters: any of the values). */
function search(store: LsStore, query: URLSearchParams): ApiReply {
  const collection = SEARCH_TYPES[query.get('type') ?? ''];
  if (!collection) throw badRequest('type: expected one of sales, products, customers');
  const criteria = new Map<string, string[]>();
  for (const [name, value] of query) {
    if (PAGING.has(name)) continue;
    if (name === 'date_from' || name === 'date_to' || name.startsWith('-')) continue;
    criteria.set(name, [...(criteria.get(name) ?? []), value]);
  }
  const deleted = query.get('deleted') === 'true';
  const same = (name: string, a: unknown, b: string) =>
    CASELESS.has(name) ? String(a ?? '').toLowerCase() === b.toLowerCase() : String(a ?? '') === b;
  let found = (deleted ? [...store.all(collection)] : store.active(collection)).filter(
    (record) =>
    [...criteria].every(([name, values]) => values.some((v) => same(name, name === '_id' ? record.id : record[name], v))), // prettier-ignore
  );
  const from = query.get('date_from');
  const to = query.get('date_to');
  if (from) found = found.filter((r) => Date.parse(String(r.sale_date)) >= Date.parse(from));
  if (to) found = found.filter((r) => Date.parse(String(r.sale_date)) <= Date.parse(to));
  const orderBy = query.get('order_by');
  if (orderBy) {
    const direction = query.get('order_direction') === 'desc' ? -1 : 1;
    found.sort((a, b) => (String(a[orderBy]) < String(b[orderBy]) ? -direction : direction));
  }
  const offset = integer(query, 'offset', 0) ?? 0;
  const size = Math.min(integer(query, 'page_size', 1) ?? MAX_SEARCH_PAGE, MAX_SEARCH_PAGE);
  return { status: 200, body: { data: found.slice(offset, offset + size) } };
}

function single(store: LsStore, collection: Collection, id: string): ApiReply {
  const record = store.get(collection, id);
  if (!record) throw notFound(`${collection.replace(/s$/, '')} ${id}`);
  return { status: 200, body: { data: record } };
}

function api20(store: LsStore, req: ApiRequest): ApiReply {
  const [resource = '', id, sub] = req.segments.slice(1);
  const { method, query } = req;
  if (method === 'GET' && resource === 'retailer' && !id) return { status: 200, body: { data: store.retailer } };
  if (method === 'GET' && resource === 'user' && !id) return single(store, 'users', req.userId);
  if (method === 'GET' && resource === 'search' && !id) return search(store, query);
  if (resource === 'products' && !id && method === 'POST') {
    return { status: 200, body: { data: createProducts(store, req.body()) }, wrote: true };
  }
  if (resource === 'product_categories' && !id && method === 'GET') return { status: 200, body: listCategories(store, query) }; // prettier-ignore
  if (resource === 'product_categories' && id === 'bulk' && !sub && method === 'POST') {
    return { status: 200, body: { data: bulkCategories(store, req.body()) }, wrote: true };
  }
  if (resource === 'products' && id && sub === 'actions' && req.segments[4] === 'image_upload' && method === 'POST') {
    return { status: 201, body: { data: imageJson(uploadImage(store, id, req.contentType, req.raw)) }, wrote: true };
  }
  if (resource === 'product_images' && id && !sub && method === 'GET') {
    const image = store.get('product_images', id);
    if (!image) throw notFound(`product image ${id}`);
    return { status: 200, body: { data: imageJson(image) } };
  }
  if (resource === 'products' && id && sub === 'inventory' && method === 'GET') {
    if (!store.get('products', id)) throw notFound(`product ${id}`);
    const rows = store.active('inventory').filter((r) => r.product_id === id);
    return { status: 200, body: page(rows) };
  }
  if (resource === 'variant_attributes' && !id && method === 'POST') {
    return { status: 201, body: { data: createVariantAttribute(store, req.body()) }, wrote: true };
  }
  if (resource === 'customers' && !id && method === 'POST') {
    return { status: 201, body: { data: createCustomer(store, req.body()) }, wrote: true };
  }
  if (resource === 'customers' && id && !sub && method === 'PUT') {
    return { status: 200, body: { data: updateCustomer(store, id, req.body()) }, wrote: true };
  }
  if (resource === 'customers' && id && !sub && method === 'DELETE') {
    deleteCustomer(store, id);
    return { status: 204, wrote: true };
  }
  const target = LISTS[resource];
  if (!target || sub) throw notFound(`/api/${req.segments.join('/')}`);
  if (method !== 'GET') throw notFound(`${method} /api/${req.segments.join('/')}`);
  if (id) return single(store, target.collection, id);
  if (resource === 'products') {
    const by = productsBy(store, query);
    if (by) return by;
  }
  return list(store, target.collection, query, target.deleted);
}

/** Everything under /api that a client may call once signed in. */
export function handleApi(store: LsStore, req: ApiRequest): ApiReply {
  const [version, resource, id] = req.segments;
  if (version === '2.0') return api20(store, req);
  if (version === '2.1' && resource === 'products' && id && req.segments.length === 3 && req.method === 'PUT') {
    return { status: 200, body: { data: updateProduct(store, id, req.body()) }, wrote: true };
  }
  if (version === 'register_sales' && req.segments.length === 1 && req.method === 'POST') {
    const { answer } = registerSale(store, req.body());
    return { status: 200, body: answer, wrote: true };
  }
  throw notFound(`${req.method} /api/${req.segments.join('/')}`);
}
