// The Lightspeed catalog from the OpenAPI: the entities a retail integration needs, each with the fields of its
// record schema (and of its examples), the fields of its write bodies, and which fields are read-only, write-only or
// required to create. The table below holds only what the spec cannot say — which resources are entities and
// which request writes them — with the documentation page each fact comes from.
import type {
  LsCatalogData,
  LsEntity,
  LsEntityField,
  LsField,
  LsWrite,
} from '../../core/connectors/lightspeed/catalog.js';
import { OpenApi, exampleOnlyFields } from './openapi.js';

interface WriteSpec {
  method: 'POST' | 'PUT';
  path: string;
  source: string;
  /** The body's fields: a spec schema, or picked from one (with renames from the read names). */
  fields: (spec: OpenApi) => LsField[];
}

interface EntitySpec {
  name: string;
  label: string;
  path: string;
  /** The `/search?type=` value whose parameters are marked **PRODUCTS** etc. in the spec. */
  search?: string;
  create?: WriteSpec;
  update?: WriteSpec;
  /** Products: the schema whose fields go into `details` of an API 2.1 update. */
  detailSchema?: string;
}

const schemaFields =
  (name: string, omit: string[] = []) =>
  (spec: OpenApi) =>
    spec.fields(spec.schema(name)).filter((f) => !omit.includes(f.name));

/** An update that sends only what changes (API 2.1): nothing is required. */
const partial = (fields: (spec: OpenApi) => LsField[]) => (spec: OpenApi) =>
  fields(spec).map(({ required: _r, ...f }) => f);

/** Fields of `schema` by name, in the order given, with `required` as listed. */
function pick(spec: OpenApi, schema: string, names: readonly string[], required: readonly string[]): LsField[] {
  const all = spec.fields(spec.schema(schema));
  return names.map((name) => {
    const field = all.find((f) => f.name === name);
    if (!field) throw new Error(`${schema} has no field ${name}`);
    const { required: _r, ...rest } = field;
    return required.includes(name) ? { ...rest, required: true } : rest;
  });
}

/**
 * Sales are written through API 0.9 `POST /api/register_sales` (docs/sales_101: "create or update a register sale";
 * the 2.0 spec has no sale write). The connector takes them in the 2.0 shape (line_items, payments) and sends
 * register_sale_products / register_sale_payments; these are the attributes that page documents, named as 2.0 names
 * them. register_id, user_id, status and the products are in its minimal payload.
 */
function saleFields(spec: OpenApi): LsField[] {
  const sale = pick(spec, 'Sale', ['register_id', 'customer_id', 'user_id', 'sale_date', 'note', 'status', 'short_code', 'invoice_number', 'invoice_sequence', 'source', 'source_id', 'line_items', 'payments'], ['register_id', 'user_id', 'status', 'line_items']); // prettier-ignore
  const lines = pick(spec, 'LineItem', ['product_id', 'quantity', 'price', 'cost', 'discount', 'loyalty_value', 'tax', 'tax_id', 'price_set', 'sequence', 'note', 'status'], ['product_id', 'quantity', 'price', 'tax', 'tax_id']); // prettier-ignore
  const payments = pick(spec, 'Payment', ['register_id', 'retailer_payment_type_id', 'payment_date', 'amount'], ['retailer_payment_type_id', 'amount']); // prettier-ignore
  return sale.map((f) =>
    f.name === 'line_items' ? { ...f, fields: lines } : f.name === 'payments' ? { ...f, fields: payments } : f,
  );
}

/**
 * Inventory is changed on its product (docs/inventory_updates: `PUT /api/2.1/products/{id}` with
 * `details.inventory[]` of ProductAddInventoryPayload). Records keep the names they are read with; only
 * `inventory_level` goes out as `current_amount`.
 */
function inventoryFields(spec: OpenApi): LsField[] {
  const payload = new Set(Object.keys(spec.schema('ProductAddInventoryPayload').properties as object));
  const renamed = (name: string) => (name === 'inventory_level' ? 'current_amount' : name);
  return spec
    .fields(spec.schema('Inventory'))
    .filter((f) => f.name === 'product_id' || payload.has(renamed(f.name)))
    .map((f) => (['product_id', 'outlet_id', 'inventory_level'].includes(f.name) ? { ...f, required: true } : f));
}

export const LIGHTSPEED_ENTITIES: readonly EntitySpec[] = [
  {
    name: 'products',
    label: 'Products',
    path: '/products',
    search: 'PRODUCTS',
    create: { method: 'POST', path: '/api/2.0/products', source: 'ProductCreateBody', fields: schemaFields('ProductCreateBody') }, // prettier-ignore
    // docs/products_variants_update: `common` updates the whole variant family, `details` the product in the URL;
    // variants cannot be created by an update.
    update: { method: 'PUT', path: '/api/2.1/products/{id}', source: 'ProductCreateBody (docs/products_variants_update)', fields: partial(schemaFields('ProductCreateBody', ['variants'])) }, // prettier-ignore
    detailSchema: 'ProductAddVariantPayload',
  },
  {
    name: 'customers',
    label: 'Customers',
    path: '/customers',
    search: 'CUSTOMERS',
    create: { method: 'POST', path: '/api/2.0/customers', source: 'CustomerBase', fields: schemaFields('CustomerBase') }, // prettier-ignore
    update: { method: 'PUT', path: '/api/2.0/customers/{id}', source: 'CustomerBase', fields: schemaFields('CustomerBase') }, // prettier-ignore
  },
  {
    name: 'sales',
    label: 'Sales',
    path: '/sales',
    search: 'SALES',
    create: { method: 'POST', path: '/api/register_sales', source: 'docs/sales_101 (API 0.9)', fields: saleFields },
    update: { method: 'POST', path: '/api/register_sales', source: 'docs/sales_101 (API 0.9)', fields: saleFields },
  },
  {
    name: 'inventory',
    label: 'Inventory per outlet',
    path: '/inventory',
    update: { method: 'PUT', path: '/api/2.1/products/{product_id}', source: 'ProductAddInventoryPayload (docs/inventory_updates)', fields: inventoryFields }, // prettier-ignore
  },
  { name: 'outlets', label: 'Outlets', path: '/outlets' },
  { name: 'registers', label: 'Registers', path: '/registers' },
  { name: 'taxes', label: 'Taxes', path: '/taxes' },
  { name: 'payment_types', label: 'Payment types', path: '/payment_types' },
];

function write(spec: OpenApi, w: WriteSpec | undefined): LsWrite | undefined {
  return w && { method: w.method, path: w.path, source: w.source, fields: w.fields(spec) };
}

function entity(spec: OpenApi, e: EntitySpec): LsEntity {
  const { name: schema, schema: record } = spec.listItemSchema(e.path);
  const examples = spec.examples(e.path, record);
  const read: LsEntityField[] = spec.fields(record, examples).map(({ required: _r, ...f }) => f);
  read.push(...exampleOnlyFields(new Set(read.map((f) => f.name)), examples));
  const create = write(spec, e.create);
  const update = write(spec, e.update);
  const writable = new Set([...(create?.fields ?? []), ...(update?.fields ?? [])].map((f) => f.name));
  const toCreate = new Set((create?.fields ?? []).filter((f) => f.required).map((f) => f.name));
  const fields: LsEntityField[] = read.map((f) => {
    const out: LsEntityField = { ...f };
    if (!writable.has(f.name)) out.readOnly = true;
    if (toCreate.has(f.name)) out.required = true;
    return out;
  });
  const known = new Set(fields.map((f) => f.name));
  for (const f of [...(create?.fields ?? []), ...(update?.fields ?? [])]) {
    if (known.has(f.name)) continue;
    known.add(f.name);
    fields.push({ ...f, writeOnly: true });
  }
  const list = spec.parameters(spec.operation(e.path, 'get')).map((p) => String(p.name));
  const search = e.search
    ? spec
        .parameters(spec.operation('/search', 'get'))
        .filter((p) => String(p.description ?? '').startsWith(`**${e.search}**`) && known.has(String(p.name)))
        .map((p) => String(p.name))
    : [];
  const out: LsEntity = {
    name: e.name,
    label: e.label,
    path: e.path,
    schema,
    key: 'id',
    deltaField: 'version',
    deleted: list.includes('deleted'),
    search,
    fields,
  };
  if (create) out.create = create;
  if (update) out.update = update;
  if (e.detailSchema) out.detailFields = Object.keys(spec.schema(e.detailSchema).properties as object);
  return out;
}

export function catalogFromOpenApi(text: string, specFile: string): LsCatalogData {
  const spec = new OpenApi(text);
  const info = spec.doc.info as { version: string };
  return {
    format: 'ferry-lightspeed-catalog/1',
    spec: specFile,
    apiVersion: info.version,
    entities: LIGHTSPEED_ENTITIES.map((e) => entity(spec, e)),
  };
}
