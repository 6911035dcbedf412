import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AcumaticaEmulator, startAcumaticaEmulator } from './server.js';
import { client } from './test-support.js';

describe('Acumatica emulator: writing', () => {
  let acu: AcumaticaEmulator;
  let c: Awaited<ReturnType<typeof client>>;
  let now = Date.parse('2025-06-02T10:00:00Z');
  beforeEach(async () => {
    acu = await startAcumaticaEmulator({ clock: () => now, size: { customers: 2, stockItems: 3, salesOrders: 2 } });
    c = await client(acu);
  });
  afterEach(async () => {
    await acu.close();
  });

  const order = (extra: Record<string, unknown> = {}) => ({
    CustomerID: { value: 'C000000001' },
    Details: [
      { InventoryID: { value: 'AALEGO500' }, OrderQty: { value: 2 } },
      { InventoryID: { value: 'CONGRILL' }, OrderQty: { value: 1 }, UnitPrice: { value: 80 } },
    ],
    ...extra,
  });

  it('inserts with the next number, computes totals and answers details only when expanded', async () => {
    const created = await c.put('SalesOrder', order());
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ OrderType: { value: 'SO' }, OrderNbr: { value: '000012' }, Status: { value: 'Open' }, OrderedQty: { value: 3 }, OrderTotal: { value: 179.98 } }); // prettier-ignore
    expect(created.body.Details).toBeUndefined();
    expect(created.body.LastModified).toEqual({ value: '2025-06-02T10:00:00+00:00' });
    const expanded = await c.put('SalesOrder?$expand=Details', order());
    expect(expanded.body.OrderNbr).toEqual({ value: '000013' });
    expect(expanded.body.Details.map((d: { LineNbr: { value: number } }) => d.LineNbr.value)).toEqual([1, 2]);
    expect(expanded.body.Details[0].UnitPrice).toEqual({ value: 49.99 });
  });

  it('updates the record its keys, its id or a $filter name; lines by id, removed with "delete": true', async () => {
    now += 60_000;
    const read = (await c.get('SalesOrder/SO/000003?$expand=Details')).body;
    const grill = read.Details.find((d: { InventoryID: { value: string } }) => d.InventoryID.value === 'CONGRILL');
    const lego = read.Details.find((d: { InventoryID: { value: string } }) => d.InventoryID.value === 'AALEGO500');
    const updated = await c.put('SalesOrder?$expand=Details', {
      OrderType: { value: 'SO' },
      OrderNbr: { value: '000003' },
      Hold: { value: false },
      Details: [{ id: grill.id, delete: true }, { id: lego.id, OrderQty: { value: 5 } }, { InventoryID: { value: 'AACOMPUT01' } }], // prettier-ignore
    });
    expect(updated.status).toBe(200);
    expect(updated.body.id).toBe(read.id);
    expect(updated.body.Status).toEqual({ value: 'Open' });
    expect(updated.body.Details.map((d: { InventoryID: { value: string } }) => d.InventoryID.value)).toEqual(['AALEGO500', 'AAPOWERAID', 'AACOMPUT01']); // prettier-ignore
    expect(updated.body.Details[0].OrderQty).toEqual({ value: 5 });
    expect(updated.body.LastModified.value).toBe('2025-06-02T10:01:00+00:00');

    const byId = await c.put('SalesOrder', { id: read.id, Description: { value: 'by id' } });
    expect(byId.body.OrderNbr).toEqual({ value: '000003' });
    const byFilter = await c.put(`Customer?$filter=${encodeURIComponent("MainContact/Email eq 'info@jevy-comp.con'")}&$expand=BillingContact`, { BillingContactOverride: { value: true }, BillingContact: { Attention: { value: 'Mr. Jack Green' } } }); // prettier-ignore
    expect(byFilter.body).toMatchObject({ CustomerID: { value: 'C000000005' }, BillingContact: { Attention: { value: 'Mr. Jack Green' } } }); // prettier-ignore
    // The linked entity was merged: the e-mail it had is still there.
    expect((await c.get('Customer/C000000005?$expand=BillingContact')).body.BillingContact.Email).toEqual({ value: 'info@jevy-comp.con' }); // prettier-ignore
    const two = await c.put(`Customer?$filter=${encodeURIComponent("CustomerID le 'C000000002'")}`, { Terms: { value: 'COD' } }); // prettier-ignore
    expect(two.status).toBe(500);
  });

  it('If-None-Match: * inserts only and If-Match: * updates only (412 otherwise)', async () => {
    const existing = { CustomerID: { value: 'C000000001' }, CustomerName: { value: 'Renamed' } };
    const insertOnly = await c.put('Customer', existing, { 'If-None-Match': '*' });
    expect(insertOnly.status).toBe(412);
    expect(insertOnly.body.exceptionMessage).toMatch(/already exists/);
    const fresh = { CustomerID: { value: 'NEWCUST' }, CustomerName: { value: 'New' } };
    expect((await c.put('Customer', fresh, { 'If-Match': '*' })).status).toBe(412);
    expect((await c.put('Customer', fresh, { 'If-None-Match': '*' })).status).toBe(200);
    expect((await c.put('Customer', existing, { 'If-Match': '*' })).body.CustomerName).toEqual({ value: 'Renamed' });
  });

  it('answers 422 with the entity and an error on each field a rule refuses', async () => {
    const answer = await c.put('SalesOrder', {
      CustomerID: { value: 'NOBODY' },
      OrderType: { value: 'ZZ' },
      Details: [{ InventoryID: { value: 'AALEGO500' } }, { InventoryID: { value: 'GHOST' } }],
    });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatch(/^Inserting 'SalesOrder' record raised at least one error/);
    expect(answer.body.CustomerID).toEqual({ value: 'NOBODY', error: "Customer ID 'NOBODY' cannot be found in the system." }); // prettier-ignore
    expect(answer.body.OrderType.error).toMatch(/'ZZ' is not a valid value of 'Order Type'/);
    expect(answer.body.Details[1].InventoryID.error).toMatch(/'GHOST' cannot be found/);
    expect(answer.body.Details[0].InventoryID.error).toBeUndefined();
    const required = await c.put('Customer', { CustomerClass: { value: 'DEFAULT' } });
    expect(required.body.CustomerName).toEqual({ error: "'Customer Name' cannot be empty." });
    // Nothing was saved.
    expect((await c.get('SalesOrder?$select=OrderNbr')).body).toHaveLength(11);
  });

  it('answers 400 with modelState when a value does not fit its wrapper type', async () => {
    const answer = await c.put('SalesOrder', order({ Details: [{ InventoryID: { value: 'AALEGO500' }, OrderQty: { value: 'lots' } }] })); // prettier-ignore
    expect(answer.status).toBe(400);
    expect(answer.body.modelState['entity.Details[0].OrderQty'][0]).toMatch(/converting value "lots"/);
    expect((await c.put('SalesOrder', order({ Hold: 'yes' }))).body.modelState['entity.Hold']).toBeDefined();
    expect((await c.put('SalesOrder', '{not json')).status).toBe(400);
  });

  it('keeps notes and custom fields, deletes with 204 and attaches files through files:put', async () => {
    const noted = await c.put('StockItem?$custom=ItemSettings.UsrColor', { InventoryID: { value: 'AALEGO500' }, note: { value: 'My note' }, custom: { ItemSettings: { UsrColor: { type: 'CustomStringField', value: 'red' } } } }); // prettier-ignore
    expect(noted.body.note).toEqual({ value: 'My note' });
    expect(noted.body.custom).toEqual({ ItemSettings: { UsrColor: { type: 'CustomStringField', value: 'red' } } });
    const url = (noted.body._links['files:put'] as string).replace('{filename}', 'spec.txt');
    const put = await c.put(url, 'hello file', { 'Content-Type': 'application/octet-stream' });
    expect(put.status).toBe(204);
    const files = (await c.get('StockItem/AALEGO500?$expand=files&$select=InventoryID')).body.files;
    expect(files).toEqual([{ id: expect.any(String), filename: 'Stock Items (AALEGO500)\\spec.txt', href: put.headers.get('location') }]); // prettier-ignore
    expect((await c.get(files[0].href)).body).toBe('hello file');
    expect((await c.put('StockItem/CONGRILL/files/manual.txt', 'manual')).status).toBe(204);

    expect((await c.delete('Customer/C000000002')).status).toBe(204);
    expect((await c.get('Customer/C000000002')).status).toBe(500);
    expect((await c.delete('Customer/C000000002')).status).toBe(500);
  });
});
