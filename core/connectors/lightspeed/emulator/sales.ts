// Sales: written through API 0.9 `POST /api/register_sales` (docs/sales_101: create, or update when the body has
// the `id` of a sale), read through API 2.0 `/sales`. The body names register, user and status and carries
// `register_sale_products` and `register_sale_payments`; the answer is `{"register_sale": …}` in 0.9's shape. A sale
// created in a completed status takes its quantities off the register's outlet's stock.
import { legacyError, notFound } from './errors.js';
import type { LsRecord, LsStore } from './store.js';

type Json = Record<string, unknown>;

export const SALE_STATUSES = ['SAVED', 'CLOSED', 'ONACCOUNT', 'LAYBY', 'ONACCOUNT_CLOSED', 'LAYBY_CLOSED', 'AWAITING_DISPATCH', 'AWAITING_PICKUP', 'DISPATCHED_CLOSED', 'PICKED_UP_CLOSED', 'VOIDED', 'SERVICE', 'SERVICE_CLOSED']; // prettier-ignore
/** Statuses in which the goods have left the shelf (parked, voided and layby-open sales keep them). */
const STOCK_LEAVES = new Set(['CLOSED', 'ONACCOUNT', 'ONACCOUNT_CLOSED', 'LAYBY_CLOSED', 'AWAITING_DISPATCH', 'AWAITING_PICKUP', 'DISPATCHED_CLOSED', 'PICKED_UP_CLOSED']); // prettier-ignore

const SALE_FIELDS = ['id', 'source', 'source_id', 'register_id', 'customer_id', 'user_id', 'sale_date', 'note', 'status', 'short_code', 'invoice_number', 'invoice_sequence', 'register_sale_products', 'register_sale_payments']; // prettier-ignore
const LINE_FIELDS = ['id', 'product_id', 'register_id', 'sequence', 'quantity', 'price', 'cost', 'price_set', 'discount', 'loyalty_value', 'tax', 'tax_id', 'status', 'note']; // prettier-ignore
const PAYMENT_FIELDS = ['id', 'register_id', 'retailer_payment_type_id', 'payment_date', 'amount'];
/** LineItem.status in the spec. */
const LINE_STATUSES = ['SAVED', 'VOIDED', 'CONFIRMED'];

const invalid = (details: string) => legacyError(400, details);

function num(value: unknown, path: string, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) throw invalid(`${path}: expected a number`);
  return n;
}

function known(body: Json, fields: readonly string[], path: string): void {
  const extra = Object.keys(body).find((k) => !fields.includes(k));
  if (extra) throw invalid(`${path}${extra}: unknown attribute`);
}

function ref(
  store: LsStore,
  collection: 'registers' | 'users' | 'customers' | 'products' | 'taxes' | 'payment_types',
  id: unknown,
  path: string,
): LsRecord {
  // prettier-ignore
  const record = typeof id === 'string' ? store.get(collection, id) : undefined;
  if (!record || record.deleted_at) throw invalid(`${path}: no ${collection.replace('_', ' ')} ${String(id)}`);
  return record;
}

/** "2016-05-05 23:35:34" (0.9) or ISO 8601 → the API's timestamp form. */
function timestamp(value: unknown, path: string, fallback: string): string {
  if (value === undefined || value === null || value === '') return fallback;
  const time = Date.parse(
    String(value)
      .replace(' ', 'T')
      .replace(/(T\d{2}:\d{2}(:\d{2})?)$/, '$1Z'),
  );
  if (Number.isNaN(time)) throw invalid(`${path}: expected a date and time`);
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** POST /api/register_sales: the stored sale (2.0 shape) and its 0.9 answer. */
export function registerSale(store: LsStore, body: unknown): { sale: LsRecord; answer: Json; created: boolean } {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw invalid('the body must be a register sale object');
  const input = body as Json;
  known(input, SALE_FIELDS, '');
  const existing = input.id === undefined ? undefined : store.get('sales', String(input.id));
  if (input.id !== undefined && !existing) throw notFound(`sale ${String(input.id)}`);
  const merged: Json = { ...(existing ? toLegacyInput(existing) : {}), ...input };
  const register = ref(store, 'registers', merged.register_id, 'register_id');
  const user = ref(store, 'users', merged.user_id, 'user_id');
  if (merged.customer_id !== undefined && merged.customer_id !== null && merged.customer_id !== '') ref(store, 'customers', merged.customer_id, 'customer_id'); // prettier-ignore
  const status = String(merged.status ?? '');
  if (!SALE_STATUSES.includes(status)) throw invalid(`status: expected one of ${SALE_STATUSES.join(', ')}`);
  const now = store.timestamp();
  const lines = ((merged.register_sale_products ?? []) as Json[]).map((line, i) => {
    const at = `register_sale_products[${i}].`;
    known(line, LINE_FIELDS, at);
    const product = ref(store, 'products', line.product_id, `${at}product_id`);
    const taxRecord = ref(store, 'taxes', line.tax_id, `${at}tax_id`);
    const rate = (taxRecord.rates as { id: string; rate: number }[])[0];
    if (line.status !== undefined && !LINE_STATUSES.includes(String(line.status))) throw invalid(`${at}status: expected one of ${LINE_STATUSES.join(', ')}`); // prettier-ignore
    const quantity = num(line.quantity, `${at}quantity`);
    const price = num(line.price, `${at}price`);
    const tax = num(line.tax, `${at}tax`, 0);
    const cost = num(line.cost, `${at}cost`, Number(product.supply_price ?? 0));
    const discount = num(line.discount, `${at}discount`, 0);
    return { id: typeof line.id === 'string' ? line.id : store.newId(), product_id: product.id, tax_id: line.tax_id, quantity, price, tax, cost, discount, price_total: price * quantity, tax_total: tax * quantity, cost_total: cost * quantity, discount_total: discount * quantity, loyalty_value: num(line.loyalty_value, `${at}loyalty_value`, 0), price_set: line.price_set === true || line.price_set === 1 || line.price_set === '1', sequence: num(line.sequence, `${at}sequence`, i), note: typeof line.note === 'string' ? line.note : null, status: typeof line.status === 'string' ? line.status : 'CONFIRMED', is_return: quantity < 0, tax_components: [{ rate_id: rate?.id ?? String(line.tax_id), total_tax: tax * quantity }] }; // prettier-ignore
  });
  if (lines.length === 0) throw invalid('register_sale_products: a sale needs at least one product');
  const payments = ((merged.register_sale_payments ?? []) as Json[]).map((payment, i) => {
    const at = `register_sale_payments[${i}].`;
    known(payment, PAYMENT_FIELDS, at);
    const type = ref(store, 'payment_types', payment.retailer_payment_type_id, `${at}retailer_payment_type_id`);
    return { id: typeof payment.id === 'string' ? payment.id : store.newId(), name: type.name, register_id: register.id, retailer_payment_type_id: type.id, payment_type_id: String(type.type_id), payment_date: timestamp(payment.payment_date, `${at}payment_date`, now), amount: num(payment.amount, `${at}amount`) }; // prettier-ignore
  });
  const sequence = existing ? Number(existing.invoice_sequence) : store.nextSequence();
  const totalTax = lines.reduce((sum, l) => sum + l.tax_total, 0);
  const sale: Json = {
    id: existing?.id ?? store.newId(),
    outlet_id: register.outlet_id,
    register_id: register.id,
    user_id: user.id,
    ...(merged.customer_id ? { customer_id: merged.customer_id } : {}),
    invoice_number: typeof merged.invoice_number === 'string' && merged.invoice_number !== '' ? merged.invoice_number : `${String(register.invoice_prefix ?? '')}${sequence}${String(register.invoice_suffix ?? '')}`, // prettier-ignore
    invoice_sequence:
      merged.invoice_sequence === undefined ? sequence : num(merged.invoice_sequence, 'invoice_sequence'),
    source: typeof merged.source === 'string' ? merged.source : 'USER',
    source_id: typeof merged.source_id === 'string' ? merged.source_id : '',
    status,
    note: typeof merged.note === 'string' ? merged.note : null,
    short_code: typeof merged.short_code === 'string' ? merged.short_code : store.newId().slice(0, 6),
    return_for: null,
    total_price: lines.reduce((sum, l) => sum + l.price_total, 0),
    total_tax: totalTax,
    total_loyalty: lines.reduce((sum, l) => sum + l.loyalty_value * l.quantity, 0),
    sale_date: timestamp(merged.sale_date, 'sale_date', existing ? String(existing.sale_date) : now),
    created_at: existing?.created_at ?? null,
    updated_at: null,
    deleted_at: null,
    taxes: saleTaxes(store, lines),
    line_items: lines,
    payments,
    adjustments: [],
    attributes: [],
  };
  const stored = store.put('sales', sale as LsRecord);
  if (!existing && STOCK_LEAVES.has(status)) takeStock(store, stored);
  return { sale: stored, answer: { register_sale: legacyShape(store, stored) }, created: !existing };
}

/** The sale's tax lines (SaleTax: name, rate, amount), one per tax its lines use. */
function saleTaxes(store: LsStore, lines: { tax_id: unknown; tax_total: number }[]): Json[] {
  const byTax = new Map<string, number>();
  for (const line of lines) byTax.set(String(line.tax_id), (byTax.get(String(line.tax_id)) ?? 0) + line.tax_total);
  return [...byTax].map(([id, amount]) => {
    const tax = store.get('taxes', id)!;
    const rate = (tax.rates as { rate: number }[]).reduce((sum, r) => sum + r.rate, 0);
    return { name: tax.name, rate, amount };
  });
}

function takeStock(store: LsStore, sale: LsRecord): void {
  for (const line of sale.line_items as { product_id: string; quantity: number }[]) {
    const record = store.inventory(line.product_id, String(sale.outlet_id));
    if (record) store.put('inventory', { ...record, inventory_level: Number(record.inventory_level) - line.quantity }, false); // prettier-ignore
  }
}

/** A stored sale as the 0.9 body that would make it (an update starts from it). */
function toLegacyInput(sale: LsRecord): Json {
  const { id: _id, outlet_id: _o, line_items, payments, ...rest } = sale;
  const kept = Object.fromEntries(Object.entries(rest).filter(([k]) => SALE_FIELDS.includes(k)));
  return {
    ...kept,
    register_sale_products: (line_items as Json[]).map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => LINE_FIELDS.includes(k)))), // prettier-ignore
    register_sale_payments: (payments as Json[]).map((p) => Object.fromEntries(Object.entries(p).filter(([k]) => PAYMENT_FIELDS.includes(k)))), // prettier-ignore
  };
}

/** The 0.9 `register_sale` of a stored sale. */
function legacyShape(store: LsStore, sale: LsRecord): Json {
  const user = store.get('users', String(sale.user_id));
  const lines = sale.line_items as Json[];
  const payments = sale.payments as Json[];
  const paid = payments.reduce((sum, p) => sum + Number(p.amount), 0);
  const total = Number(sale.total_price) + Number(sale.total_tax);
  return {
    id: sale.id,
    source: sale.source,
    source_id: sale.source_id,
    register_id: sale.register_id,
    customer_id: sale.customer_id ?? null,
    user_id: sale.user_id,
    user_name: user?.display_name ?? '',
    sale_date: String(sale.sale_date).replace('T', ' ').replace('+00:00', ''),
    created_at: String(sale.created_at).replace('T', ' ').replace('+00:00', ''),
    updated_at: String(sale.updated_at).replace('T', ' ').replace('+00:00', ''),
    total_price: sale.total_price,
    total_tax: sale.total_tax,
    note: sale.note ?? '',
    status: sale.status,
    short_code: sale.short_code,
    invoice_number: sale.invoice_number,
    invoice_sequence: sale.invoice_sequence,
    register_sale_products: lines.map((l) => ({ id: l.id, product_id: l.product_id, register_id: sale.register_id, sequence: String(l.sequence), quantity: l.quantity, price: l.price, cost: l.cost, price_set: l.price_set ? 1 : 0, discount: l.discount, loyalty_value: l.loyalty_value, tax: l.tax, tax_id: l.tax_id, tax_total: l.tax_total, price_total: l.price_total, status: l.status })), // prettier-ignore
    totals: {
      total_tax: sale.total_tax,
      total_price: sale.total_price,
      total_payment: paid,
      total_to_pay: total - paid,
    },
    register_sale_payments: payments.map((p) => ({ id: p.id, register_id: p.register_id, retailer_payment_type_id: p.retailer_payment_type_id, payment_type_id: p.payment_type_id, name: p.name, payment_date: String(p.payment_date).replace('T', ' ').replace('+00:00', ''), amount: p.amount })), // prettier-ignore
  };
}
