/**
 * Writing through the connector into the emulator, every request recorded and its body held against the spec's
 * schema of that write: products upserted by SKU (a variant's own fields in `details`, the family's in `common`,
 * create-only fields left out of updates), customers by e-mail, sales through register_sales, inventory per outlet;
 * the shared operations' table, dry runs, bad records, and creates whose fate was unknown (never twice).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readLightspeedSpec } from '../../../scripts/generate-lightspeed-catalog.js';
import type { FlowRecord } from '../../engine/record.js';
import { recordingProxy } from '../net/recording-proxy.js';
import type { DestinationWriter } from '../types.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { OpenApiSchemas } from './emulator/openapi-check.js';
import { createLightspeedConnector } from './index.js';
import { demoSecrets, demoSettings, fakeClock, lsContext, record } from './test-support.js';

let ls: LightspeedEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
const signal = new AbortController().signal;

async function start(options: Parameters<typeof startLightspeedEmulator>[0] = {}) {
  ls = await startLightspeedEmulator(options);
  proxy = await recordingProxy(ls.url);
}
beforeEach(() => start());
afterEach(async () => {
  await proxy.close();
  await ls.close();
});

async function destination(config: Record<string, unknown>): Promise<DestinationWriter> {
  const connector = createLightspeedConnector({ clock: fakeClock(), random: () => 0 });
  return (await connector.destination!.open(config, lsContext(demoSettings(proxy.url), demoSecrets()))) as DestinationWriter; // prettier-ignore
}
const write = (w: DestinationWriter, records: FlowRecord[], dryRun = false) => w.write(records, { dryRun, signal });
const writes = () => proxy.exchanges.filter((e) => e.method !== 'GET');

/** Every write the connector sent, against the spec's request schema of that write (2.1 and 0.9 have none). */
async function bodyProblems(): Promise<string[]> {
  const schemas = new OpenApiSchemas(JSON.parse(await readLightspeedSpec()) as Record<string, unknown>);
  return writes().flatMap((e) => {
    const path = new URL(e.url, 'http://x').pathname;
    if (e.method === 'POST' && path === '/api/2.0/products') return schemas.check('ProductCreateBody', e.requestBody, path); // prettier-ignore
    if (path.startsWith('/api/2.0/customers'))
      return schemas.check('CustomerBase', e.requestBody, `${e.method} ${path}`);
    if (path.startsWith('/api/2.1/products/')) {
      const { common, details, ...rest } = e.requestBody as Record<string, unknown>;
      return [...Object.keys(rest).map((k) => `${path}: ${k} beside common and details`), ...(common ? schemas.check('ProductCreateBody', { name: 'x', ...common }, `${path} common`) : []), ...(details ? schemas.check('ProductAddVariantPayload', details, `${path} details`) : [])]; // prettier-ignore
    }
    return [];
  });
}

const product = (sku: string) => ls.store.active('products').find((p) => p.sku === sku);

describe('products', () => {
  it('upserts by SKU: creates the new, updates the rest — a variant’s price alone, the family’s description for all', async () => {
    const w = await destination({ entity: 'products', operation: 'upsert' });
    const brand = ls.store.active('brands')[0]!.id;
    const outcomes = await write(w, [
      record({ sku: 'MUG-NEW', name: 'Harbour Mug', price_excluding_tax: '18.50', brand_id: brand, product_codes: [{ type: 'EAN', code: '9400000099991' }], description: 'Long text' }, 'MUG-NEW', ['description']), // prettier-ignore
      record({ sku: LIGHTSPEED_DEMO.skus.tees[1], name: 'Classic Tee', price_excluding_tax: 31 }),
      record({ sku: LIGHTSPEED_DEMO.skus.kettle, name: 'Pour-Over Kettle', description: 'New words', is_active: 'false' }, 'k', ['supply_price']), // prettier-ignore
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'updated', 'updated']);
    expect(outcomes[0]).toMatchObject({ targetKey: 'MUG-NEW', result: { sku: 'MUG-NEW', id: expect.any(String) } });
    expect(product('MUG-NEW')).toMatchObject({ price_excluding_tax: 18.5, price_including_tax: 21.275, brand_id: brand, description: 'Long text' }); // prettier-ignore
    const tees = ls.store.active('products').filter((p) => p.name === 'Classic Tee');
    expect(tees.map((p) => p.price_excluding_tax)).toEqual([29, 31, 29, 29, 29, 29]);
    expect(product(LIGHTSPEED_DEMO.skus.kettle)).toMatchObject({ description: 'New words', active: false });
    // One search for the three SKUs; the create, two 2.1 updates and the read-back of the new product.
    expect(proxy.exchanges.filter((e) => e.url.includes('/search?'))).toHaveLength(1);
    expect(writes().map((e) => `${e.method} ${new URL(e.url, 'http://x').pathname.replace(/[0-9a-f-]{36}/, '{id}')}`).sort()).toEqual(['POST /api/2.0/products', 'PUT /api/2.1/products/{id}', 'PUT /api/2.1/products/{id}']); // prettier-ignore
    const teeUpdate = writes().find((e) => (e.requestBody as { details?: { sku?: string } }).details?.sku === LIGHTSPEED_DEMO.skus.tees[1])!.requestBody; // prettier-ignore
    expect(teeUpdate).toEqual({ common: { name: 'Classic Tee' }, details: { sku: LIGHTSPEED_DEMO.skus.tees[1], price_excluding_tax: 31 } }); // prettier-ignore
    expect(await bodyProblems()).toEqual([]);
  });

  it('leaves create-only fields out of updates, and fails a bad record alone, naming the field', async () => {
    const w = await destination({ entity: 'products' });
    const outcomes = await write(w, [
      record({ sku: LIGHTSPEED_DEMO.skus.cup, name: 'Espresso Cup', description: 'Would overwrite' }, 'a', ['description']), // prettier-ignore
      record({ sku: 'X-1', name: 'Bad', price_excluding_tax: 'twelve' }),
      record({ sku: 'X-2', name: 'Bad', colour: 'red' }),
      record({ sku: 'X-3', name: 'Bad', price_exluding_tax: 5 }),
      record({ sku: 'X-4', price_excluding_tax: 5 }),
    ]);
    expect(outcomes).toEqual([
      { status: 'updated', targetKey: LIGHTSPEED_DEMO.skus.cup, result: expect.objectContaining({ description: '<p>Double-walled espresso cup, 80 ml.</p>' }) }, // prettier-ignore
      { status: 'failed', error: 'price_excluding_tax: expected a number, got "twelve"' },
      { status: 'failed', error: 'colour: not a field Lightspeed takes here' },
      { status: 'failed', error: 'price_exluding_tax: not a field Lightspeed takes here (did you mean price_excluding_tax?)' }, // prettier-ignore
      { status: 'failed', error: 'name: required to create products in Lightspeed' },
    ]);
    expect(writes()).toHaveLength(1);
  });

  it('follows the operations table: create fails an existing SKU, createOnly skips it, updateOnly skips a missing one', async () => {
    const existing = record({ sku: LIGHTSPEED_DEMO.skus.cup, name: 'Espresso Cup' });
    const fresh = record({ sku: 'FRESH-1', name: 'Fresh' });
    const results = async (operation: string) => write(await destination({ entity: 'products', operation }), [existing, fresh], true); // prettier-ignore
    expect((await results('createOnly')).map((o) => o.status)).toEqual(['skipped', 'created']);
    expect((await results('updateOnly'))[1]).toEqual({ status: 'skipped', reason: 'does not exist', targetKey: 'FRESH-1' }); // prettier-ignore
    expect((await results('update'))[1]).toEqual({ status: 'failed', error: 'does not exist: sku FRESH-1 in Lightspeed' }); // prettier-ignore
    // create sends without asking; Lightspeed refuses the SKU it holds.
    const created = await write(await destination({ entity: 'products', operation: 'create' }), [existing]);
    expect(created[0]).toMatchObject({ status: 'failed', error: expect.stringContaining(`already exists: sku: "${LIGHTSPEED_DEMO.skus.cup}" is already the SKU of product`) }); // prettier-ignore
    // The dry runs wrote nothing.
    expect(writes()).toHaveLength(1);
  });

  it('writes two records with one new SKU one after the other: the first creates, the second updates', async () => {
    const w = await destination({ entity: 'products' });
    const outcomes = await write(w, [
      record({ sku: 'TWICE-1', name: 'Twice', price_excluding_tax: 5 }),
      record({ sku: 'OTHER-1', name: 'Other' }),
      record({ sku: 'TWICE-1', name: 'Twice', price_excluding_tax: 6 }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'updated']);
    expect(ls.store.active('products').filter((p) => p.sku === 'TWICE-1')).toEqual([expect.objectContaining({ price_excluding_tax: 6 })]); // prettier-ignore
  });

  it('creates each product once when writes fail with an unknown fate (502), looking it up before sending again', async () => {
    await proxy.close();
    await ls.close();
    await start({ faults: { seed: 11, errors: [{ status: 502, rate: 0.35 }] } });
    const w = await destination({ entity: 'products', operation: 'upsert' });
    const batch = Array.from({ length: 20 }, (_, i) => record({ sku: `RETRY-${i}`, name: `Retry ${i}`, price_excluding_tax: 10 + i })); // prettier-ignore
    const outcomes = await write(w, batch);
    const created = outcomes.filter((o) => o.status === 'created').length;
    expect(ls.stats.errors).toBeGreaterThan(3);
    for (let i = 0; i < 20; i++) expect(ls.store.active('products').filter((p) => p.sku === `RETRY-${i}`).length).toBeLessThanOrEqual(1); // prettier-ignore
    expect(ls.store.active('products').filter((p) => String(p.sku).startsWith('RETRY-'))).toHaveLength(created);
    expect(created).toBeGreaterThan(15);
  });
});

describe('customers, sales and inventory', () => {
  it('upserts customers by e-mail whatever its case; a second run updates them all', async () => {
    const w = await destination({ entity: 'customers' });
    const rows = [
      record({ email: 'ANNA.BERG@example.com', first_name: 'Anna', last_name: 'Berg', company_name: 'Berg Design', physical_city: 'Nelson' }), // prettier-ignore
      record({ email: 'new.person@example.com', first_name: 'New', last_name: 'Person', do_not_email: 'yes', date_of_birth: '1990-04-05' }), // prettier-ignore
    ];
    expect((await write(w, rows)).map((o) => o.status)).toEqual(['created', 'created'].map((s, i) => (i === 0 ? 'updated' : s))); // prettier-ignore
    const anna = ls.store.active('customers').filter((c) => String(c.email).toLowerCase() === LIGHTSPEED_DEMO.customers.person); // prettier-ignore
    expect(anna).toHaveLength(1);
    expect(anna[0]).toMatchObject({ company_name: 'Berg Design', physical_city: 'Nelson' });
    expect(ls.store.active('customers').find((c) => c.email === 'new.person@example.com')).toMatchObject({ do_not_email: true, date_of_birth: '1990-04-05' }); // prettier-ignore
    expect((await write(await destination({ entity: 'customers' }), rows)).map((o) => o.status)).toEqual(['updated', 'updated']); // prettier-ignore
    expect(await bodyProblems()).toEqual([]);
  });

  it('writes sales in the 2.0 shape through register_sales, by invoice number, the signed-in user when none is named', async () => {
    const w = await destination({ entity: 'sales' });
    const register = ls.store.active('registers')[3]!;
    const cup = ls.store.active('products').find((p) => p.sku === LIGHTSPEED_DEMO.skus.cup)!;
    const tax = ls.store.active('taxes')[0]!;
    const sale = { invoice_number: 'WEB-ORDER-1', register_id: register.id, status: 'AWAITING_DISPATCH', line_items: [{ product_id: cup.id, quantity: '3', price: 12, tax: 1.8, tax_id: tax.id }], payments: [{ retailer_payment_type_id: ls.store.active('payment_types')[1]!.id, amount: '41.40' }] }; // prettier-ignore
    expect((await write(w, [record(sale, 'WEB-ORDER-1')]))[0]).toMatchObject({ status: 'created', targetKey: 'WEB-ORDER-1' }); // prettier-ignore
    const sent = writes()[0]!.requestBody as Record<string, unknown>;
    expect(Object.keys(sent).sort()).toEqual(['invoice_number', 'register_id', 'register_sale_payments', 'register_sale_products', 'status', 'user_id']); // prettier-ignore
    const stored = ls.store.active('sales').find((s) => s.invoice_number === 'WEB-ORDER-1')!;
    expect(stored).toMatchObject({ status: 'AWAITING_DISPATCH', user_id: ls.store.active('users').find((u) => u.account_type === 'admin')!.id, total_price: 36 }); // prettier-ignore
    const again = await write(w, [record({ ...sale, status: 'DISPATCHED_CLOSED' }, 'WEB-ORDER-1')]);
    expect(again[0]!.status).toBe('updated');
    expect(ls.store.active('sales').filter((s) => s.invoice_number === 'WEB-ORDER-1')).toEqual([expect.objectContaining({ id: stored.id, status: 'DISPATCHED_CLOSED' })]); // prettier-ignore
  });

  it('sets inventory per outlet by SKU (one request per product); a product Lightspeed lacks is skipped, never created', async () => {
    const [main, harbour] = ls.store.active('outlets');
    const w = await destination({ entity: 'inventory', operation: 'updateOnly', key: 'sku' });
    const outcomes = await write(w, [
      record({ sku: LIGHTSPEED_DEMO.skus.tees[0], outlet_id: main!.id, inventory_level: '42' }),
      record({ sku: LIGHTSPEED_DEMO.skus.tees[0], outlet_id: harbour!.id, inventory_level: 7, reorder_point: 2 }),
      record({ sku: 'NOT-IN-LIGHTSPEED', outlet_id: main!.id, inventory_level: 1 }),
      record({ sku: LIGHTSPEED_DEMO.skus.cup, inventory_level: 1 }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['updated', 'updated', 'skipped', 'failed']);
    expect(outcomes[2]).toEqual({ status: 'skipped', reason: 'does not exist', targetKey: 'NOT-IN-LIGHTSPEED' });
    expect(outcomes[3]).toEqual({ status: 'failed', error: 'outlet_id: required (the outlet whose stock this is)' });
    const tee = product(LIGHTSPEED_DEMO.skus.tees[0])!;
    expect(ls.store.inventory(tee.id, main!.id)!.inventory_level).toBe(42);
    expect(ls.store.inventory(tee.id, harbour!.id)).toMatchObject({ inventory_level: 7, reorder_point: 2 });
    expect(writes().map((e) => e.requestBody)).toEqual([{ details: { inventory: [{ outlet_id: main!.id, current_amount: 42 }, { outlet_id: harbour!.id, current_amount: 7, reorder_point: 2 }] } }]); // prettier-ignore
    expect(ls.store.active('products').some((p) => p.sku === 'NOT-IN-LIGHTSPEED')).toBe(false);
    await expect(destination({ entity: 'inventory', operation: 'upsert' })).rejects.toThrow('inventory is only updated (update or updateOnly), never created'); // prettier-ignore
    const byId = await destination({ entity: 'inventory', operation: 'updateOnly' });
    expect((await write(byId, [record({ product_id: '00000000-0000-4000-8000-000000000000', outlet_id: main!.id, inventory_level: 1 }, 'gone')]))[0]).toMatchObject({ status: 'skipped', reason: 'does not exist' }); // prettier-ignore
    const strict = await destination({ entity: 'inventory', operation: 'update', key: 'sku' });
    expect((await write(strict, [record({ sku: 'NOT-IN-LIGHTSPEED', outlet_id: main!.id, inventory_level: 1 })]))[0]).toEqual({ status: 'failed', error: 'does not exist: no product with sku NOT-IN-LIGHTSPEED in Lightspeed' }); // prettier-ignore
  });
});
