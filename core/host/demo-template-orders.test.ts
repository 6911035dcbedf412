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
// Payment terms by the value map of payment types (card: COD, on account: 30 DAYS; unpaid: the setting, 14 DAYS) and
// shipment method by the one of fulfilment (awaiting dispatch: DEL, awaiting pickup: PICKUP).
const WEB_ORDERS = [
  { email: 'anna.berg@example.com', displayName: 'Anna Berg', type: 'Person', lines: [['1090', 2]], terms: 'COD', shipment: 'DEL' }, // prettier-ignore
  { email: 'tom.hale@haleandsons.example', displayName: 'Hale & Sons Ltd', type: 'Company', lines: [['1090', 1], ['1190', 1]], terms: '30 DAYS', shipment: 'PICKUP' }, // prettier-ignore
  { email: 'mia.chen@northwind.example', displayName: 'Northwind Traders', type: 'Company', lines: [['1190', 3]], terms: '14 DAYS', shipment: 'DEL' }, // prettier-ignore
];

// A company customer gets its Lightspeed customer as a contact person under BC's company contact; a person none.
const CONTACT_PERSONS = [
  { customer: 'Anna Berg', relation: 'Person', persons: [] },
  { customer: 'Hale & Sons Ltd', relation: 'Company', persons: [{ displayName: 'Tom Hale', email: 'tom.hale@haleandsons.example', phoneNumber: '+64 4 555 0102', companyName: 'Hale & Sons Ltd' }] }, // prettier-ignore
  { customer: 'Northwind Traders', relation: 'Company', persons: [{ displayName: 'Mia Chen', email: 'mia.chen@northwind.example', phoneNumber: '', companyName: 'Northwind Traders' }] }, // prettier-ignore
];

/** Each customer's contact (BC's business relation) and the person contacts under it. */
async function contactPersons(customers: DemoDataPage['rows']) {
  const links = await all('business-central', 'contactsInformation');
  const contacts = await all('business-central', 'contacts');
  return customers.map((customer) => {
    const link = links.find((l) => l.relatedId === customer.id);
    const persons = contacts.filter((p) => p.type === 'Person' && p.companyNumber && p.companyNumber === link?.contactNumber); // prettier-ignore
    return {
      customer: customer.displayName,
      relation: link?.contactType,
      persons: persons.map((p) => ({ displayName: p.displayName, email: p.email, phoneNumber: p.phoneNumber, companyName: p.companyName })), // prettier-ignore
    };
  });
}

/** Runs a flow made from the template with other settings (the demo's connections). */
async function runFromTemplate(name: string, settings: Record<string, unknown>) {
  const { flow } = await h.ok('createFlowFromTemplate', { templateId: TEMPLATE, settings, connections: {}, name });
  return h.run(flow.id);
}

/** BC's id of a payment terms or shipment method code. */
async function idOf(entity: 'paymentTerms' | 'shipmentMethods', code: string): Promise<unknown> {
  return (await all('business-central', entity)).find((r) => r.code === code)?.id;
}

/** The web orders' documents in BC (newest first in the browser, here in sale order) with their lines. */
async function documents(kind: 'salesOrder' | 'salesInvoice', before: DemoDataPage['rows']) {
  const lines = await all('business-central', `${kind}Lines`);
  return (await all('business-central', `${kind}s`))
    .filter((d) => !before.some((b) => b.id === d.id))
    .reverse()
    .map((d) => ({
      externalDocumentNumber: d.externalDocumentNumber,
      customerNumber: d.customerNumber,
      paymentTermsId: d.paymentTermsId,
      shipmentMethodId: d.shipmentMethodId,
      lines: lines
        .filter((l) => l.documentId === d.id)
        .sort((a, b) => Number(a.sequence) - Number(b.sequence))
        .map((l) => [l.lineObjectNumber, l.quantity]),
    }));
}

describe('Lightspeed orders → BC sales orders', () => {
  it('imports the web orders in progress with their customers and contact persons, fails the one with unknown SKUs, and skips them the next time', async () => {
    const sales = (await all('lightspeed', 'sales')).reverse();
    const web = sales.filter((s) => s.status === 'AWAITING_DISPATCH' || s.status === 'AWAITING_PICKUP');
    expect(web).toHaveLength(4);
    const ordersBefore = await all('business-central', 'salesOrders');
    const customersBefore = await all('business-central', 'customers');

    const dry = await h.run(FLOW, { dryRun: true });
    // Would-be creates: 3 customers and 3 orders (a new customer's number shows as "(new customer)"); a new company
    // customer has no id yet, so its company contact is "not found" and no contact person would be made.
    expect(dry.summary?.counts).toMatchObject({ created: 6, skipped: 2, failed: 1, filtered: sales.length - 4 + 1 });
    expect(dry.summary?.nodes['company-contact']).toMatchObject({ in: 2, ports: { found: 0, notFound: 2 } });
    expect(await all('business-central', 'salesOrders')).toEqual(ordersBefore);

    const first = await h.run(FLOW);
    // 3 customers, 3 orders and the 2 company customers' contact persons; the person customer leaves the contact
    // branch at its company filter.
    expect(first.summary?.counts).toMatchObject({ created: 8, updated: 0, skipped: 0, failed: 1, filtered: sales.length - 4 + 1 }); // prettier-ignore
    expect(first.summary?.failures).toEqual([
      expect.objectContaining({ node: 'items', key: web[0]!.id, error: 'items not in Business Central: GEN-0013, GEN-0016' }), // prettier-ignore
    ]);
    const customers = (await all('business-central', 'customers')).filter(
      (c) => !customersBefore.some((b) => b.id === c.id),
    );
    expect(customers.reverse()).toEqual(
      WEB_ORDERS.map((o) => expect.objectContaining({ email: o.email, displayName: o.displayName, type: o.type, taxLiable: true })), // prettier-ignore
    );
    const expected = [];
    for (const [i, o] of WEB_ORDERS.entries()) {
      expected.push({
        externalDocumentNumber: web[i + 1]!.invoice_number,
        customerNumber: customers[i]!.number,
        paymentTermsId: await idOf('paymentTerms', o.terms),
        shipmentMethodId: await idOf('shipmentMethods', o.shipment),
        lines: o.lines,
      });
    }
    expect(expected.every((e) => e.paymentTermsId && e.shipmentMethodId)).toBe(true);
    expect(await documents('salesOrder', ordersBefore)).toEqual(expected);
    expect(await contactPersons(customers)).toEqual(CONTACT_PERSONS);

    // Read again from the start: every order is in BC by its external document number and skipped.
    const again = await h.run(FLOW, { since: '0' });
    expect(again.summary?.counts).toMatchObject({ created: 0, updated: 0, skipped: 3, failed: 1 });
    // The existence check's found records end there: skipped "already exists" (its found output is unconnected).
    expect(again.summary?.nodes['in-bc']).toMatchObject({ in: 4, out: 1, ports: { found: 3, notFound: 1 } });
    expect(await all('business-central', 'salesOrders')).toHaveLength(ordersBefore.length + 3);

    // The same sales as invoices: the customers are found again, and so are their contact persons — none twice.
    const contactsBefore = await all('business-central', 'contacts');
    const invoices = await runFromTemplate('Web orders as invoices', { document: 'salesInvoice' });
    expect(invoices.summary?.counts).toMatchObject({ created: 3, failed: 1 });
    expect(invoices.summary?.nodes['person-in-bc']).toMatchObject({ in: 2, ports: { found: 2, notFound: 0 } });
    expect(await all('business-central', 'contacts')).toHaveLength(contactsBefore.length);
    expect(await contactPersons(customers)).toEqual(CONTACT_PERSONS);
  });

  it('puts every order on the default customer, as sales invoices when set', async () => {
    const invoicesBefore = await all('business-central', 'salesInvoices');
    const customersBefore = await all('business-central', 'customers');
    const run = await runFromTemplate('Web orders as invoices', {
      document: 'salesInvoice',
      defaultCustomer: '10000',
    });
    expect(run.summary?.counts).toMatchObject({ created: 3, failed: 1 });
    expect(await all('business-central', 'customers')).toEqual(customersBefore);
    expect((await documents('salesInvoice', invoicesBefore)).map((d) => [d.customerNumber, d.lines])).toEqual(
      WEB_ORDERS.map((o) => ['10000', o.lines]),
    );
  });

  it('fails a sale whose payment terms code Business Central lacks, naming the code; empty settings leave the customer’s', async () => {
    const ordersBefore = await all('business-central', 'salesOrders');
    const run = await runFromTemplate('Unknown payment terms', {
      defaultCustomer: '10000',
      unpaidPaymentTerms: '5 DAYS',
    });
    expect(run.summary?.counts).toMatchObject({ created: 2, failed: 2 });
    expect(run.summary?.failures).toContainEqual(
      expect.objectContaining({ node: 'order-ids', error: expect.stringContaining('payment terms 5 DAYS are not in Business Central') }), // prettier-ignore
    );

    const customer = (await all('business-central', 'customers')).find((c) => c.number === '10000')!;
    const invoicesBefore = await all('business-central', 'salesInvoices');
    const settings = { defaultCustomer: '10000', unpaidPaymentTerms: '', document: 'salesInvoice' };
    const blank = await runFromTemplate('Customer terms', settings);
    expect(blank.summary?.counts).toMatchObject({ created: 3, failed: 1 });
    const unpaid = (await all('business-central', 'salesInvoices')).find(
      (d) => !invoicesBefore.some((b) => b.id === d.id) && d.externalDocumentNumber === 'WEB-1047',
    );
    expect(unpaid?.paymentTermsId).toBe(customer.paymentTermsId);
    expect(await all('business-central', 'salesOrders')).toHaveLength(ordersBefore.length + 2);
  });
});
