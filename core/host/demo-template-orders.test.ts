import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoDataPage } from '../model/demo-contract.js';
import { type DemoHarness, demoHarness } from './testing/demo-harness.js';

/**
 * Template 1, "Lightspeed orders → Business Central sales orders", as a trainer runs it: the flow Start demo systems
 * made (and variants from the template with other settings), against the emulators, with BC's exact state after.
 */
let h: DemoHarness;
beforeEach(async () => {
  h = await demoHarness({ open: true });
  await h.ok('startDemoSystems', {});
});
afterEach(() => h.close());

const FLOW = 'lightspeed-orders-business-central-sales-orders';
const all = async (system: string, entity: string): Promise<DemoDataPage['rows']> =>
  (await h.ok('browseDemoData', { system, entity, limit: 500 })).rows;

const TEMPLATE = 'lightspeed-orders-to-bc-sales-orders';
const WEB_ORDERS = [
  { email: 'anna.berg@example.com', displayName: 'Anna Berg', type: 'Person', lines: [['1090', 2]] },
  { email: 'tom.hale@haleandsons.example', displayName: 'Hale & Sons Ltd', type: 'Company', lines: [['1090', 1], ['1190', 1]] }, // prettier-ignore
  { email: 'mia.chen@northwind.example', displayName: 'Northwind Traders', type: 'Company', lines: [['1190', 3]] },
];

/** The web orders' documents in BC (newest first in the browser, here in sale order) with their lines. */
async function documents(kind: 'salesOrder' | 'salesInvoice', before: DemoDataPage['rows']) {
  const lines = await all('business-central', `${kind}Lines`);
  return (await all('business-central', `${kind}s`))
    .filter((d) => !before.some((b) => b.id === d.id))
    .reverse()
    .map((d) => ({
      externalDocumentNumber: d.externalDocumentNumber,
      customerNumber: d.customerNumber,
      lines: lines
        .filter((l) => l.documentId === d.id)
        .sort((a, b) => Number(a.sequence) - Number(b.sequence))
        .map((l) => [l.lineObjectNumber, l.quantity]),
    }));
}

describe('Lightspeed orders → BC sales orders', () => {
  it('imports the web orders in progress with their customers, fails the one with unknown SKUs, and skips them the next time', async () => {
    const sales = (await all('lightspeed', 'sales')).reverse();
    const web = sales.filter((s) => s.status === 'AWAITING_DISPATCH' || s.status === 'AWAITING_PICKUP');
    expect(web).toHaveLength(4);
    const ordersBefore = await all('business-central', 'salesOrders');
    const customersBefore = await all('business-central', 'customers');

    const dry = await h.run(FLOW, { dryRun: true });
    // Would-be creates: 3 customers and 3 orders (a new customer's number shows as "(new customer)").
    expect(dry.summary?.counts).toMatchObject({ created: 6, failed: 1 });
    expect(await all('business-central', 'salesOrders')).toEqual(ordersBefore);

    const first = await h.run(FLOW);
    expect(first.summary?.counts).toMatchObject({ created: 6, updated: 0, skipped: 0, failed: 1, filtered: sales.length - 4 }); // prettier-ignore
    expect(first.summary?.failures).toEqual([
      expect.objectContaining({ node: 'items', key: web[0]!.id, error: 'items not in Business Central: GEN-0013, GEN-0016' }), // prettier-ignore
    ]);
    const customers = (await all('business-central', 'customers')).filter(
      (c) => !customersBefore.some((b) => b.id === c.id),
    );
    expect(customers.reverse()).toEqual(
      WEB_ORDERS.map((o) => expect.objectContaining({ email: o.email, displayName: o.displayName, type: o.type, taxLiable: true })), // prettier-ignore
    );
    expect(await documents('salesOrder', ordersBefore)).toEqual(
      WEB_ORDERS.map((o, i) => ({
        externalDocumentNumber: web[i + 1]!.invoice_number,
        customerNumber: customers[i]!.number,
        lines: o.lines,
      })),
    );

    // Read again from the start: every order is in BC by its external document number and skipped.
    const again = await h.run(FLOW, { since: '0' });
    expect(again.summary?.counts).toMatchObject({ created: 0, updated: 0, skipped: 3, failed: 1 });
    // The existence check's found records end there: skipped "already exists" (its found output is unconnected).
    expect(again.summary?.nodes['in-bc']).toMatchObject({ in: 4, out: 1, ports: { found: 3, notFound: 1 } });
    expect(await all('business-central', 'salesOrders')).toHaveLength(ordersBefore.length + 3);
  });

  it('puts every order on the default customer, as sales invoices when set', async () => {
    const invoicesBefore = await all('business-central', 'salesInvoices');
    const customersBefore = await all('business-central', 'customers');
    const created = await h.ok('createFlowFromTemplate', {
      templateId: TEMPLATE,
      settings: { document: 'salesInvoice', defaultCustomer: '10000' },
      connections: {},
      name: 'Web orders as invoices',
    });
    const run = await h.run(created.flow.id);
    expect(run.summary?.counts).toMatchObject({ created: 3, failed: 1 });
    expect(await all('business-central', 'customers')).toEqual(customersBefore);
    expect((await documents('salesInvoice', invoicesBefore)).map((d) => [d.customerNumber, d.lines])).toEqual(
      WEB_ORDERS.map((o) => ['10000', o.lines]),
    );
  });
});
