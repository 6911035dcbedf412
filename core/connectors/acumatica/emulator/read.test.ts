import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACUMATICA_DEMO } from './seed.js';
import { type AcumaticaEmulator, startAcumaticaEmulator } from './server.js';
import { client } from './test-support.js';

describe('Acumatica emulator: reading', () => {
  let acu: AcumaticaEmulator;
  let c: Awaited<ReturnType<typeof client>>;
  beforeAll(async () => {
    acu = await startAcumaticaEmulator({ size: { stockItems: 250, customers: 30 }, limits: { apiUsers: 10 } });
    c = await client(acu);
  });
  afterAll(async () => {
    await acu.close();
  });

  const values = (list: Array<Record<string, { value?: unknown }>>, field: string) => list.map((r) => r[field]?.value);

  it('pages with $top/$skip only: a plain array, no next link, in a stable order', async () => {
    const all = (await c.get('StockItem?$select=InventoryID')).body;
    expect(Array.isArray(all)).toBe(true);
    expect(all).toHaveLength(255);
    const pages: unknown[] = [];
    for (let skip = 0; ; skip += 100) {
      const page = (await c.get(`StockItem?$select=InventoryID&$top=100&$skip=${skip}`)).body;
      pages.push(...values(page, 'InventoryID'));
      if (page.length < 100) break;
    }
    expect(pages).toEqual(values(all, 'InventoryID'));
    expect((await c.get('StockItem?$top=x')).status).toBe(400);
  });

  it('filters with comparisons, and/or, string functions (case-insensitive), linked fields and dates', async () => {
    const ids = async (filter: string, entity = 'Customer', field = 'CustomerID') => {
      const answer = await c.get(`${entity}?$filter=${encodeURIComponent(filter)}&$select=${field}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return values(answer.body, field);
    };
    expect(await ids("CustomerID eq 'C000000003'")).toEqual(['C000000003']);
    expect(await ids("CustomerID eq 'c000000003'")).toEqual(['C000000003']);
    expect(await ids("CustomerID le 'C000000002' or CustomerID eq 'C000000005'")).toEqual(['C000000001', 'C000000002', 'C000000005']); // prettier-ignore
    expect(await ids("substringof('jevy', CustomerName)")).toEqual(['C000000005']);
    expect(await ids("startswith(CustomerName,'MINT') and endswith(CustomerName, 'bakery')")).toEqual(['C000000003']);
    expect(await ids("MainContact/Email eq 'info@jevy-comp.con'")).toEqual(['C000000005']);
    expect((await ids("CustomerID ne 'C000000003'")).length).toBe(34);
    // Delta reads: OData v3 datetimeoffset literals, as Acumatica takes them.
    const after = await ids("LastModifiedDateTime gt datetimeoffset'2024-01-02T08:30:00+00:00'");
    const before = await ids("LastModifiedDateTime le datetimeoffset'2024-01-02T08:30:00.000Z'");
    expect(after.length + before.length).toBe(35);
    expect(after.length).toBeGreaterThan(0);
    expect(await ids("OrderTotal gt 1000M and CustomerID eq 'C000000003'", 'SalesOrder', 'OrderNbr')).toEqual(['000001', '000008']); // prettier-ignore
    expect(await ids("cf.Decimal(f='Document.CuryBalanceWOTotal') eq 0M", 'SalesInvoice', 'ReferenceNbr')).toEqual(['INV000001']); // prettier-ignore
  });

  it('refuses filters on unknown fields, on detail entities and with bad syntax (400)', async () => {
    expect((await c.get(`Customer?$filter=${encodeURIComponent("Nope eq 'x'")}`)).status).toBe(400);
    const detail = await c.get(`SalesOrder?$filter=${encodeURIComponent("Details/InventoryID eq 'AALEGO500'")}`);
    expect(detail.status).toBe(400);
    expect(JSON.stringify(detail.body)).toMatch(/detail entity 'Details'/);
    expect((await c.get(`Customer?$filter=${encodeURIComponent('CustomerID eq')}`)).status).toBe(400);
  });

  it('returns details and linked entities only when expanded; $select narrows every level', async () => {
    const plain = (await c.get('SalesOrder/SO/000003')).body;
    expect(plain.Details).toBeUndefined();
    expect(plain.OrderNbr).toEqual({ value: '000003' });
    expect(plain._links.self).toBe(`/${ACUMATICA_DEMO.instance}/entity/Default/24.200.001/SalesOrder/${plain.id}`);
    const expanded = (await c.get('SalesOrder/SO/000003?$expand=Details,ShipToAddress')).body;
    expect(expanded.Details).toHaveLength(3);
    expect(expanded.Details.map((d: { rowNumber: number }) => d.rowNumber)).toEqual([1, 2, 3]);
    expect(expanded.ShipToAddress).toHaveProperty('City');
    const narrow = (await c.get('SalesOrder/SO/000003?$expand=Details&$select=OrderNbr,Details/InventoryID')).body;
    expect(Object.keys(narrow).filter((k) => /^[A-Z]/.test(k))).toEqual(['OrderNbr', 'Details']);
    expect(Object.keys(narrow.Details[0]).filter((k) => /^[A-Z]/.test(k))).toEqual(['InventoryID']);
    const customer = (await c.get('Customer/C000000005?$expand=MainContact/Address&$select=CustomerID,MainContact/Email,MainContact/Address/City')).body; // prettier-ignore
    expect(customer.MainContact.Email).toEqual({ value: 'info@jevy-comp.con' });
    expect(customer.MainContact.Address.City).toEqual({ value: 'Seattle' });
    expect((await c.get('SalesOrder?$expand=Nope')).status).toBe(400);
    expect((await c.get('SalesOrder?$select=Nope')).status).toBe(400);
  });

  it('reads by key values in key order, by id, and answers a missing record as Acumatica does (500)', async () => {
    const byKeys = (await c.get(`Customer/${ACUMATICA_DEMO.keys.customer}`)).body;
    expect((await c.get(`Customer/${byKeys.id}`)).body.CustomerID).toEqual({ value: ACUMATICA_DEMO.keys.customer });
    expect((await c.get('SalesInvoice/Invoice/INV000046')).body.Status).toEqual({ value: 'On Hold' });
    const missing = await c.get('Customer/C999999999');
    expect(missing.status).toBe(500);
    expect(missing.body).toMatchObject({ exceptionMessage: 'No entity satisfies the condition.', exceptionType: 'PX.Api.ContractBased.NoEntitySatisfiesTheConditionException' }); // prettier-ignore
    expect((await c.get('SalesOrder/SO')).status).toBe(500);
  });

  it('answers the optimized-export failure for a list that expands a delegated detail, not for one record', async () => {
    const list = await c.get(
      'Payment?$expand=ApplicationHistory&$select=ReferenceNbr,ApplicationHistory/DisplayRefNbr',
    );
    expect(list.status).toBe(500);
    expect(list.body.exceptionMessage).toMatch(/^Optimization cannot be performed/);
    expect(list.body.exceptionMessage).toContain('ApplicationHistory.DisplayRefNbr');
    const one = await c.get('Payment/Payment/000001?$expand=ApplicationHistory');
    expect(one.body.ApplicationHistory).toHaveLength(1);
  });

  it('returns custom fields asked for with $custom, and describes them in $adHocSchema', async () => {
    const invoice = (await c.get('SalesInvoice/Invoice/INV000046?$custom=Document.CuryBalanceWOTotal,Document.UsrNope')).body; // prettier-ignore
    expect(invoice.custom).toEqual({
      Document: {
        CuryBalanceWOTotal: { type: 'CustomDecimalField', value: 189.93 },
        UsrNope: { type: 'CustomStringField', value: null },
      },
    });
    const schema = (await c.get('SalesInvoice/$adHocSchema')).body;
    expect(schema.custom).toEqual({ Document: { CuryBalanceWOTotal: { type: 'CustomDecimalField' } } });
    expect(schema.Amount).toEqual({});
    expect(Array.isArray(schema.Details)).toBe(true);
  });

  it('serves every shipped version of every endpoint with that version’s fields', async () => {
    const v20 = await client(acu, { endpoint: acu.endpointUrl('Default', '20.200.001') });
    const item20 = (await v20.get('StockItem/AALEGO500')).body;
    expect(item20.LastModified.value).toEqual(expect.any(String));
    expect(item20.LastModifiedDateTime).toBeUndefined();
    const item24 = (await c.get('StockItem/AALEGO500')).body;
    expect(item24.LastModifiedDateTime.value).toBe(item20.LastModified.value);
    const shop = await client(acu, { endpoint: acu.endpointUrl('eCommerce') });
    expect((await shop.get('StockItem/AALEGO500')).body.Visibility).toEqual({});
    const mfg = await client(acu, { endpoint: acu.endpointUrl('MANUFACTURING') });
    expect((await mfg.get('ProductionOrder')).body).toEqual([]);
    expect((await mfg.get('SalesOrder')).status).toBe(404);
    expect((await c.get(`${acu.instanceUrl}/entity/Default/19.200.001/StockItem`)).status).toBe(404);
    for (const other of [v20, shop, mfg]) await other.logout();
  });
});
