// Products as X-Series keeps them. Creation (`POST /api/2.0/products`, ProductCreateBody) makes a standard product
// or, with `variants`, a variant family: the first variant is the parent (`has_variants`, no `variant_parent_id`),
// the others point at it (docs/products_variants: "the parent and child can be the same product"). Every product
// that tracks inventory gets one inventory record per outlet. Updates (`PUT /api/2.1/products/{id}`,
// docs/products_variants_update) apply `common` to every member of the family and `details` to the product named,
// `details.inventory` to its inventory records (docs/inventory_updates).
import { lightspeedCatalog } from '../catalog.js';
import { checkBody } from './body-check.js';
import { badRequest, notFound } from './errors.js';
import type { LsRecord, LsStore } from './store.js';

type Json = Record<string, unknown>;

const PLACEHOLDER = 'https://secure.retail.lightspeed.app/images/placeholder/product/no-image-white-standard.png';
const PLACEHOLDER_THUMB = 'https://secure.retail.lightspeed.app/images/placeholder/product/no-image-white-thumb.png';

const products = () => lightspeedCatalog().entity('products')!;

/** Five decimals, as the API's prices come (`"price_excluding_tax": 2.63158`). */
const round5 = (n: number) => Math.round(n * 100_000) / 100_000;

export function defaultTaxRate(store: LsStore): number {
  const taxes = store.active('taxes');
  const tax = taxes.find((t) => t.is_default === true) ?? taxes[0];
  const rates = (tax?.rates ?? []) as { rate: number }[];
  return rates.reduce((sum, r) => sum + r.rate, 0);
}

function sample(
  store: LsStore,
  collection: 'brands' | 'product_types' | 'suppliers',
  field: string,
  id: unknown,
): Json {
  if (id === null || id === undefined || id === '') return {};
  const found = store.get(collection, String(id));
  if (!found) throw badRequest(`${field}: no ${collection} record ${String(id)}`);
  const { id: fid, name, version, deleted_at } = found;
  return collection === 'suppliers' ? { id: fid, name, source: '', description: '' } : { id: fid, name, deleted_at: deleted_at ?? null, version }; // prettier-ignore
}

/** The derived fields of a product (objects by id, prices, image, variant name), after any change. */
function derive(store: LsStore, p: Json): void {
  const rate = defaultTaxRate(store);
  if (typeof p.price_including_tax === 'number' && p.__priceFrom === 'incl') {
    p.price_excluding_tax = round5((p.price_including_tax as number) / (1 + rate));
  } else if (typeof p.price_excluding_tax === 'number') {
    p.price_including_tax = round5((p.price_excluding_tax as number) * (1 + rate));
  }
  delete p.__priceFrom;
  p.type = sample(store, 'product_types', 'product_type_id', p.product_type_id);
  p.brand = sample(store, 'brands', 'brand_id', p.brand_id);
  p.supplier = sample(store, 'suppliers', 'supplier_id', p.supplier_id);
  p.categories = ((p.tag_ids ?? []) as string[]).map((id) => {
    const tag = store.get('tags', id);
    if (!tag) throw badRequest(`tag_ids: no tag ${id}`);
    return { id, name: tag.name, version: tag.version };
  });
  const options = (p.variant_options ?? []) as { value: string }[];
  p.variant_name = options.length > 0 ? [p.name, ...options.map((o) => o.value)].join(' / ') : p.name;
  const images = (p.images ?? []) as { url: string }[];
  p.image_url = images[0]?.url ?? PLACEHOLDER;
  p.image_thumbnail_url = images[0]?.url ?? PLACEHOLDER_THUMB;
  p.is_active = p.active;
}

function images(store: LsStore, input: unknown): Json[] {
  return ((input ?? []) as { type: string; location: string }[]).map((image) => {
    if (image.type !== 'url') throw badRequest(`images: type "${image.type}" needs an upload the emulator does not take; use "url"`); // prettier-ignore
    return { id: store.newId(), url: image.location, version: store.data.version + 1 };
  });
}

function assertUniqueSku(store: LsStore, sku: unknown, except?: string): void {
  if (typeof sku !== 'string' || sku === '') return;
  const taken = store.all('products').find((p) => p.sku === sku && p.id !== except && !p.deleted_at);
  if (taken) throw badRequest(`sku: "${sku}" is already the SKU of product ${taken.id}`);
}

/** The product-specific fields of a body or a variant (prices, codes, images, measures). */
function applyDetails(store: LsStore, p: Json, details: Json): void {
  for (const [name, value] of Object.entries(details)) {
    if (name === 'inventory' || name === 'variant_definitions' || name === 'all_outlets_tax' || name === 'outlet_taxes') continue; // prettier-ignore
    if (name === 'images') p.images = images(store, value);
    else if (name === 'price_including_tax') Object.assign(p, { price_including_tax: value, __priceFrom: 'incl' });
    else p[name] = value;
  }
}

function applyCommon(p: Json, common: Json): void {
  for (const [name, value] of Object.entries(common)) {
    if (name === 'is_active') p.active = value;
    else if (name === 'product_category_id') p.product_type_id = value;
    else if (name === 'account_code_sale') p.account_code = value;
    else if (name === 'attributes') p.attributes = Array.isArray(value) ? value : value ? [value] : [];
    else if (name !== 'composite') p[name] = value;
  }
}

function setInventory(store: LsStore, productId: string, rows: unknown, path: string): void {
  ((rows ?? []) as Json[]).forEach((row, i) => {
    const outlet = store.get('outlets', String(row.outlet_id));
    if (!outlet || outlet.deleted_at) throw badRequest(`${path}[${i}].outlet_id: no outlet ${String(row.outlet_id)}`);
    const record = store.inventory(productId, outlet.id);
    const next: Json = record ? { ...record } : { id: store.newId(), product_id: productId, outlet_id: outlet.id, reorder_point: null, reorder_amount: null }; // prettier-ignore
    if ('current_amount' in row) next.inventory_level = row.current_amount;
    if ('reorder_point' in row) next.reorder_point = row.reorder_point;
    if ('reorder_amount' in row) next.reorder_amount = row.reorder_amount;
    store.put('inventory', next as LsRecord, false);
  });
}

function newProduct(store: LsStore, body: Json): Json {
  const name = String(body.name);
  return {
    id: store.newId(),
    name,
    handle:
      body.handle ??
      name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, ''),
    sku: null,
    source: 'USER',
    source_id: null,
    source_variant_id: null,
    description: null,
    active: true,
    has_inventory: true,
    is_composite: Array.isArray(body.composite) && body.composite.length > 0,
    has_variants: false,
    variant_parent_id: null,
    variant_options: [],
    variant_count: 0,
    supply_price: 0,
    supplier_id: null,
    supplier_code: null,
    product_type_id: null,
    product_codes: [],
    product_suppliers: [],
    brand_id: null,
    tag_ids: [],
    attributes: [],
    images: [],
    account_code: null,
    account_code_purchase: null,
    button_order: 0,
    loyalty_amount: null,
    created_at: null,
    updated_at: null,
    deleted_at: null,
  };
}

/** POST /api/2.0/products: the ids of the new products (the parent first). */
export function createProducts(store: LsStore, body: unknown): string[] {
  checkBody(products().create!.fields, body);
  const input = body as Json;
  if ('price_including_tax' in input && 'price_excluding_tax' in input) {
    throw badRequest('price_including_tax, price_excluding_tax: send one of them, not both');
  }
  const { variants, inventory, ...common } = input;
  const members = Array.isArray(variants) && variants.length > 0 ? (variants as Json[]) : [undefined];
  const skus = members.map((v) => (v ? v.sku : input.sku)).filter((s) => typeof s === 'string' && s !== '');
  if (new Set(skus).size < skus.length) throw badRequest('sku: the variants repeat a SKU');
  for (const sku of skus) assertUniqueSku(store, sku);
  const detailNames = new Set(products().detailFields);
  const shared = Object.fromEntries(Object.entries(common).filter(([n]) => !detailNames.has(n)));
  const own = Object.fromEntries(Object.entries(common).filter(([n]) => detailNames.has(n)));
  const ids: string[] = [];
  let parent: Json | undefined;
  members.forEach((variant, i) => {
    const p = newProduct(store, input);
    applyCommon(p, shared);
    applyDetails(store, p, { ...own, ...(variant ?? {}) });
    if (variant) {
      const definitions = (variant.variant_definitions ?? []) as { attribute_id: string; value: string }[];
      p.variant_options = definitions.map((d, j) => {
        const attribute = store.get('variant_attributes', d.attribute_id);
        if (!attribute) throw badRequest(`variants[${i}].variant_definitions[${j}].attribute_id: no variant attribute ${d.attribute_id}`); // prettier-ignore
        return { id: attribute.id, name: attribute.name, value: d.value };
      });
      if (parent) p.variant_parent_id = parent.id;
      else Object.assign(p, { has_variants: true, variant_count: members.length });
    }
    if (!p.sku) p.sku = String(10000 + store.nextSequence());
    derive(store, p);
    const stored = store.put('products', p as LsRecord);
    parent ??= stored;
    ids.push(stored.id);
    createInventory(store, stored, (variant ? variant.inventory : inventory) as unknown, variant ? `variants[${i}].inventory` : 'inventory'); // prettier-ignore
  });
  return ids;
}

/** One record per outlet (level 0 unless the body says), as a product that tracks inventory has. */
export function createInventory(store: LsStore, product: LsRecord, rows: unknown, path: string): void {
  if (product.has_inventory !== true) return;
  const given = new Set(((rows ?? []) as Json[]).map((r) => String(r.outlet_id)));
  const zero = store.active('outlets').filter((o) => !given.has(o.id)).map((o) => ({ outlet_id: o.id, current_amount: 0 })); // prettier-ignore
  setInventory(store, product.id, [...((rows ?? []) as Json[]), ...zero], path);
}

/** The members of a product's variant family (itself alone when it has none). */
export function family(store: LsStore, product: LsRecord): LsRecord[] {
  const parentId = (product.variant_parent_id as string | null) ?? product.id;
  return store.active('products').filter((p) => p.id === parentId || p.variant_parent_id === parentId);
}

/** Stores a product after a change the API makes itself (an uploaded image), with its derived fields again. */
export function refreshDerived(store: LsStore, product: Json & { id: string }): LsRecord {
  derive(store, product);
  return store.put('products', product as LsRecord);
}

/** PUT /api/2.1/products/{id}: the updated product. */
export function updateProduct(store: LsStore, id: string, body: unknown): LsRecord {
  const product = store.get('products', id);
  if (!product || product.deleted_at) throw notFound(`product ${id}`);
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body: expected {"common": …, "details": …}'); // prettier-ignore
  const { common = {}, details = {}, ...rest } = body as Json;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw badRequest(`${unknown[0]}: an update takes "common" and "details" only`);
  const detailNames = new Set(products().detailFields);
  const fields = products().update!.fields;
  checkBody(
    fields.filter((f) => !detailNames.has(f.name)),
    common,
    'common',
  );
  checkBody(
    fields.filter((f) => detailNames.has(f.name)),
    details,
    'details',
  );
  const d = details as Json;
  if ('price_including_tax' in d && 'price_excluding_tax' in d) throw badRequest('details: send one price, not both');
  assertUniqueSku(store, d.sku, id);
  for (const member of family(store, product)) {
    const next: Json = { ...member };
    applyCommon(next, common as Json);
    if (member.id === id) applyDetails(store, next, d);
    derive(store, next);
    store.put('products', next as LsRecord);
  }
  if ('inventory' in d) setInventory(store, id, d.inventory, 'details.inventory');
  return store.get('products', id)!;
}
