/**
 * The request each write of an entity becomes, from a body recordBody made (the entity's own field names):
 * - products: create `POST /api/2.0/products` (ProductCreateBody; the answer is the new ids, so the product is read
 *   back); update `PUT /api/2.1/products/{id}` with the family's fields in `common` and this product's in `details`
 *   (docs/products_variants_update; which is which: the spec's ProductAddVariantPayload);
 * - customers: `POST /api/2.0/customers`, `PUT /api/2.0/customers/{id}` (CustomerBase);
 * - sales: `POST /api/register_sales` (API 0.9, docs/sales_101) with `line_items` sent as `register_sale_products`
 *   and `payments` as `register_sale_payments`, and the sale's `id` to update it;
 * - inventory: `PUT /api/2.1/products/{product_id}` with `details.inventory[]` per outlet, `inventory_level` sent as
 *   `current_amount` (docs/inventory_updates), all outlets of one product in one request.
 */
import type { RecordData } from '../../engine/record.js';
import type { LsClient, WriteResult } from './client.js';

function path(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

/** Creates a record; products are read back (the create answers only their ids). */
export async function createRecord(
  client: LsClient,
  entityName: string,
  body: RecordData,
  signal: AbortSignal,
): Promise<WriteResult> {
  const entity = client.entity(entityName);
  const write = entity.create!;
  const result = await client.write(write.method, write.path, outgoing(entityName, body), signal);
  if (result.kind !== 'ok' || entityName !== 'products') return result;
  const ids = (result.record as unknown as unknown[]) ?? [];
  const id = Array.isArray(ids) ? ids.find((v) => typeof v === 'string') : undefined;
  if (typeof id !== 'string') return { kind: 'ok', record: {} };
  const read = (await client.json({ method: 'GET', url: client.api(`/products/${encodeURIComponent(id)}`), signal })) as { data?: RecordData } | undefined; // prettier-ignore
  return { kind: 'ok', record: read?.data ?? { id } };
}

/** Updates the record `id`. */
export function updateRecord(
  client: LsClient,
  entityName: string,
  id: string,
  body: RecordData,
  signal: AbortSignal,
): Promise<WriteResult> {
  const entity = client.entity(entityName);
  const write = entity.update!;
  if (entityName === 'products') {
    const details = new Set(entity.detailFields ?? []);
    const part = (inDetails: boolean) => Object.fromEntries(Object.entries(body).filter(([k]) => details.has(k) === inDetails)); // prettier-ignore
    const common = part(false);
    const own = part(true);
    const payload: RecordData = {};
    if (Object.keys(common).length > 0) payload.common = common;
    if (Object.keys(own).length > 0) payload.details = own;
    return client.write(write.method, path(write.path, { id }), payload, signal);
  }
  const payload = entityName === 'sales' ? { ...outgoing(entityName, body), id } : body;
  return client.write(write.method, path(write.path, { id }), payload, signal);
}

/** Sets the inventory of one product at the outlets given (records of one product_id). */
export function updateInventory(
  client: LsClient,
  productId: string,
  rows: readonly RecordData[],
  signal: AbortSignal,
): Promise<WriteResult> {
  const write = client.entity('inventory').update!;
  const inventory = rows.map(({ product_id: _p, inventory_level, ...rest }) =>
    inventory_level === undefined ? rest : { ...rest, current_amount: inventory_level },
  );
  return client.write(write.method, path(write.path, { product_id: productId }), { details: { inventory } }, signal);
}

/** The 0.9 names of a sale's lines and payments. */
function outgoing(entityName: string, body: RecordData): RecordData {
  if (entityName !== 'sales') return body;
  const { line_items, payments, ...sale } = body;
  return {
    ...sale,
    ...(line_items === undefined ? {} : { register_sale_products: line_items }),
    ...(payments === undefined ? {} : { register_sale_payments: payments }),
  };
}
