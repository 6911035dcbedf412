import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoDataPage } from '../model/demo-contract.js';
import { type DemoHarness, demoHarness } from './testing/demo-harness.js';

/**
 * The Business Central ⇄ Lightspeed templates as a trainer runs them: the flows "Start demo systems" made, run
 * against the emulators through the contract, with the exact state of the destination afterwards.
 */
let h: DemoHarness;

beforeEach(async () => {
  h = await demoHarness({ open: true });
});
afterEach(() => h.close());

const ok: DemoHarness['ok'] = (name, input) => h.ok(name, input);
const run = (flowId: string, options: { since?: string } = {}) => h.run(flowId, options);

/** Every record of an entity, newest first. */
async function all(system: string, entity: string): Promise<DemoDataPage['rows']> {
  return (await ok('browseDemoData', { system, entity, limit: 500 })).rows;
}

const FLOWS = {
  products: 'business-central-items-lightspeed-products',
  inventory: 'business-central-inventory-lightspeed',
  customers: 'lightspeed-customers-business-central-customers',
};
const BEGINNING = '2000-01-01T00:00:00Z';

describe('Business Central ⇄ Lightspeed templates in the demo', () => {
  it('are made by Start demo systems, the outlet taken from the demo store', async () => {
    const started = await ok('startDemoSystems', {});
    expect(started.createdFlows.map((f) => f.id).sort()).toEqual(
      [
        'acumatica-stock-items-business-central-items',
        'lightspeed-orders-business-central-sales-orders',
        ...Object.values(FLOWS),
      ].sort(),
    );
    const inventory = await ok('loadFlow', { flowId: FLOWS.inventory });
    expect(inventory.problems).toEqual([]);
    const outlets = await all('lightspeed', 'outlets');
    const mainStreet = outlets.find((o) => o.name === 'Main Street')!;
    expect(inventory.flow.nodes.find((n) => n.id === 'to-stock')!.config.fields).toContainEqual({
      target: 'outlet_id',
      expression: JSON.stringify(mainStreet.id),
    });
  });

  it('BC items → Lightspeed products, then their stock; a product Lightspeed lacks is skipped with a warning', async () => {
    await ok('startDemoSystems', {});
    const bcItems = await all('business-central', 'items');
    const sellable = bcItems.filter((i) => i.type === 'Inventory' && i.blocked !== true);
    expect(sellable).toHaveLength(27);
    const productsBefore = await all('lightspeed', 'products');
    const inventoryBefore = await all('lightspeed', 'inventory');

    // Stock before the products exist: nothing is created, each item is skipped, and the run warns once.
    const early = await run(FLOWS.inventory);
    expect(early.summary?.counts).toMatchObject({ updated: 0, skipped: 27, filtered: 3, failed: 0 });
    expect(early.summary?.warnings).toEqual([expect.stringMatching(/27 records do not exist in the target/)]);
    expect(await all('lightspeed', 'products')).toEqual(productsBefore);
    expect(await all('lightspeed', 'inventory')).toEqual(inventoryBefore);

    const products = await run(FLOWS.products);
    expect(products.summary?.counts).toMatchObject({ created: 27, updated: 0, filtered: 3, failed: 0 });
    const created = (await all('lightspeed', 'products')).filter((p) => !productsBefore.some((b) => b.id === p.id));
    // Five demo items have BLACK and WHITE variants: families of two products (demo-template-products.test.ts).
    const families = new Set((await all('business-central', 'itemVariants')).map((v) => v.itemNumber));
    const standard = sellable.filter((i) => !families.has(i.number));
    expect(standard).toHaveLength(22);
    expect(created).toHaveLength(22 + 5 * 2);
    for (const item of standard) {
      const product = created.find((p) => p.sku === item.number);
      expect(product, String(item.number)).toMatchObject({
        name: item.displayName,
        description: item.displayName,
        price_excluding_tax: item.unitPrice,
        supply_price: item.unitCost,
        is_active: true,
      });
      expect(product!.product_codes).toEqual([{ type: 'EAN', code: item.gtin }]);
    }

    // The items did not change since the first stock run: backdated, it reads them again and sets every stock.
    // An item with variants has no product of its SKU (its variants have theirs; BC's v2.0 item holds one total
    // stock, not one per variant), so the stock template skips it with the warning.
    const stock = await run(FLOWS.inventory, { since: BEGINNING });
    expect(stock.summary?.counts).toMatchObject({ updated: 22, skipped: 5, filtered: 3, failed: 0 });
    expect(stock.summary?.warnings).toEqual([expect.stringMatching(/5 records do not exist in the target/)]);
    const outlet = (await all('lightspeed', 'outlets')).find((o) => o.name === 'Main Street')!;
    const levelOf = async (item: (typeof standard)[number]) => {
      const product = created.find((p) => p.sku === item.number)!;
      const levels = (await all('lightspeed', 'inventory')).filter((r) => r.outlet_id === outlet.id);
      return levels.find((r) => r.product_id === product.id)?.inventory_level;
    };
    // The default quantity, available: inventory minus what the item's sales order lines still have to ship.
    const linesPage = await ok('browseDemoData', { system: 'business-central', entity: 'salesOrderLines', limit: 500 });
    const orderLines = linesPage.rows;
    expect(orderLines).toHaveLength(linesPage.total);
    const reserved = (item: (typeof standard)[number]) =>
      orderLines
        .filter((l) => l.itemId === item.id)
        .reduce((sum, l) => sum + Number(l.quantity) - Number(l.shippedQuantity), 0);
    expect(standard.filter((item) => reserved(item) > 0).length).toBeGreaterThan(5);
    // Some item has more on order than in stock: it is sent as 0, never as a negative stock.
    expect(standard.some((item) => reserved(item) > Number(item.inventory))).toBe(true);
    for (const item of standard) {
      const available = Math.max(0, Number(item.inventory) - reserved(item));
      expect(await levelOf(item), String(item.number)).toBe(available);
    }

    // The other calculations, as flows of their own made from the template.
    const other = async (name: string, settings: Record<string, unknown>) => {
      const { flow } = await ok('createFlowFromTemplate', { templateId: 'bc-inventory-to-lightspeed', settings: { outletId: outlet.id, ...settings }, connections: {}, name }); // prettier-ignore
      const summary = await run(flow.id, { since: BEGINNING });
      expect(summary.summary?.counts).toMatchObject({ updated: 22, skipped: 5, failed: 0 });
    };
    await other('On hand', { quantity: 'inventory' });
    for (const item of standard) expect(await levelOf(item), String(item.number)).toBe(item.inventory);
    await other('Safety stock', { quantity: 'inventoryMinusSafetyStock', safetyStock: 150 });
    for (const item of standard) {
      expect(await levelOf(item), String(item.number)).toBe(Math.max(0, Number(item.inventory) - 150));
    }
  });

  it('Lightspeed customers → BC customers by e-mail: company or person, one address, created then updated', async () => {
    await ok('startDemoSystems', {});
    const lsCustomers = (await all('lightspeed', 'customers')).filter((c) => typeof c.email === 'string' && c.email);
    const bcBefore = await all('business-central', 'customers');

    const first = await run(FLOWS.customers);
    expect(first.summary?.counts).toMatchObject({ created: lsCustomers.length, updated: 0, failed: 0 });
    const bcAfter = await all('business-central', 'customers');
    expect(bcAfter).toHaveLength(bcBefore.length + lsCustomers.length);
    const byEmail = (email: unknown) => bcAfter.find((c) => c.email === email);
    expect(byEmail('tom.hale@haleandsons.example')).toMatchObject({
      displayName: 'Hale & Sons Ltd',
      type: 'Company',
      phoneNumber: '+64 4 555 0102',
      addressLine1: '2 Harbour Road',
      country: 'NZ',
      taxLiable: true,
    });
    expect(byEmail('anna.berg@example.com')).toMatchObject({ displayName: 'Anna Berg', type: 'Person' });
    // Mia Chen has only a physical address: that one is used.
    expect(byEmail('mia.chen@northwind.example')).toMatchObject({ type: 'Company', addressLine1: '3 Harbour Road' });
    for (const customer of lsCustomers) {
      const bc = byEmail(customer.email)!;
      expect(bc.displayName).toBe(customer.company_name || `${customer.first_name} ${customer.last_name}`);
      expect(bc.city).toBe(customer.postal_city ?? customer.physical_city);
      expect(bc.postalCode).toBe(customer.postal_postcode ?? customer.physical_postcode);
    }

    // Lightspeed's delta is its version counter: backdated to 0, every customer is read again and found.
    const again = await run(FLOWS.customers, { since: '0' });
    expect(again.summary?.counts).toMatchObject({ created: 0, updated: lsCustomers.length, failed: 0 });
    expect(await all('business-central', 'customers')).toHaveLength(bcAfter.length);
  });
});
