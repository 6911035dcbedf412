import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBcEmulator, type BcEmulator } from './server.js';
import { client, USA } from './test-support.js';

describe('Business Central emulator: writing', () => {
  let bc: BcEmulator;
  let api: ReturnType<typeof client>;
  let time = Date.UTC(2025, 4, 16, 7, 0, 0);
  beforeEach(async () => {
    bc = await startBcEmulator({ clock: () => time });
    api = client(bc);
  });
  afterEach(() => bc.close());
  const c = (path: string) => `companies(${USA})/${path}`;

  it('PATCH and DELETE need If-Match: a stale etag is 409 Request_EntityChanged, none is BadRequest_InvalidToken', async () => {
    const [customer] = (await api.get(c('customers?$top=1'))).body.value;
    const missing = await api.patch(c(`customers(${customer.id})`), { displayName: 'No token' });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('BadRequest_InvalidToken');

    time += 60_000;
    const updated = await api.patch(c(`customers(${customer.id})`), { displayName: 'Adatum Corp.' }, { 'If-Match': customer['@odata.etag'] }); // prettier-ignore
    expect(updated.status).toBe(200);
    expect(updated.body.displayName).toBe('Adatum Corp.');
    expect(updated.body['@odata.etag']).not.toBe(customer['@odata.etag']);
    expect(updated.body.lastModifiedDateTime).toBe(new Date(time).toISOString());

    const stale = await api.patch(c(`customers(${customer.id})`), { displayName: 'Lost update' }, { 'If-Match': customer['@odata.etag'] }); // prettier-ignore
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'Request_EntityChanged' });
    expect(stale.body.error.message).toMatch(/^Another user has already changed the record\. {2}CorrelationId: {2}/);
    const staleDelete = await api.delete(c(`customers(${customer.id})`), { 'If-Match': customer['@odata.etag'] });
    expect(staleDelete.status).toBe(409);

    const star = await api.patch(c(`customers(${customer.id})`), { creditLimit: 5000 }, { 'If-Match': '*' });
    expect(star.status).toBe(200);
    const deleted = await api.delete(c(`customers(${customer.id})`), { 'If-Match': star.body['@odata.etag'] });
    expect(deleted.status).toBe(204);
    expect((await api.get(c(`customers(${customer.id})`))).status).toBe(404);
  });

  it('creates with 201 and a Location, numbers from the series, enums in either form, served escaped', async () => {
    const created = await api.post(c('customers'), { displayName: 'Contoso Pharmaceuticals', blocked: 'Invoice', type: 'Person' }); // prettier-ignore
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(`${api.root}/companies(${USA})/customers(${created.body.id})`);
    expect(created.body).toMatchObject({ number: 'C10010', blocked: 'Invoice', balanceDue: 0 });
    const blank = await api.post(c('customers'), { displayName: 'Blank', blocked: ' ' });
    expect(blank.body.blocked).toBe('_x0020_');
    const account = await api.post(c('journalLines'), { journalId: (await api.get(c("journals?$filter=code eq 'DAILY'"))).body.value[0].id, accountType: 'G/L Account', accountNumber: '61100', amount: 10 }); // prettier-ignore
    expect(account.status).toBe(201);
    expect(account.body).toMatchObject({ accountType: 'G_x002F_L_x0020_Account', lineNumber: 10000 });
  });

  it('validates bodies against the catalog with BC codes', async () => {
    const unknown = await api.post(c('customers'), { displayName: 'X', nickname: 'x' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(
      /The property 'nickname' does not exist on type 'Microsoft.NAV.customer'/,
    );
    const long = await api.post(c('customers'), { displayName: 'x'.repeat(101) });
    expect(long.body.error.code).toBe('Application_StringExceededLength');
    expect(long.body.error.message).toMatch(/The length of the string is 101, but it must be less than or equal to 100 characters/); // prettier-ignore
    const readOnly = await api.post(c('customers'), { displayName: 'X', balanceDue: 10 });
    expect(readOnly.body.error).toMatchObject({ code: 'BadRequest_InvalidOperation' });
    const wrongType = await api.post(c('customers'), { displayName: 'X', creditLimit: 'lots' });
    expect(wrongType.body.error.code).toBe('BadRequest');
    const badEnum = await api.post(c('customers'), { displayName: 'X', blocked: 'Never' });
    expect(badEnum.status).toBe(400);
    const duplicate = await api.post(c('customers'), { number: '10000', displayName: 'Twin' });
    expect(duplicate.body.error.code).toBe('Internal_EntityWithSameKeyExists');
    const noCustomer = await api.post(c('salesOrders'), { customerNumber: 'NOPE' });
    expect(noCustomer.body.error.code).toBe('Application_FieldValidationException');
    const readOnlySet = await api.post(c('generalLedgerEntries'), { description: 'x' });
    expect(readOnlySet.status).toBe(405);
  });

  it('deep-inserts an order with its lines, computes amounts and totals, and undoes it all when a line fails', async () => {
    const order = await api.post(c('salesOrders?$expand=salesOrderLines'), {
      customerNumber: '20000',
      externalDocumentNumber: 'PO-1',
      salesOrderLines: [
        { lineObjectNumber: '1000', quantity: 3 },
        { lineType: 'Item', lineObjectNumber: '1010', quantity: 2, unitPrice: 100, discountPercent: 10 },
      ],
    });
    expect(order.status).toBe(201);
    const lines = order.body.salesOrderLines;
    expect(lines.map((l: { sequence: number }) => l.sequence)).toEqual([10000, 20000]);
    expect(lines[1]).toMatchObject({ amountExcludingTax: 180, discountAmount: 20, documentId: order.body.id });
    expect(order.body.totalAmountExcludingTax).toBe(lines[0].amountExcludingTax + 180);
    expect(order.body).toMatchObject({ customerName: 'Trey Research', status: 'Draft', orderDate: '2025-05-16' });

    const before = (await api.get(c('salesOrders/$count'))).body;
    const failing = await api.post(c('salesOrders'), {
      customerNumber: '20000',
      salesOrderLines: [
        { lineObjectNumber: '1000', quantity: 1 },
        { lineObjectNumber: 'NO-SUCH-ITEM', quantity: 1 },
      ],
    });
    expect(failing.body.error.code).toBe('Application_FieldValidationException');
    expect((await api.get(c('salesOrders/$count'))).body).toBe(before);
  });

  it('adds lines under their document and keeps the totals in step', async () => {
    const [order] = (await api.get(c('salesOrders?$top=1'))).body.value;
    const line = await api.post(c(`salesOrders(${order.id})/salesOrderLines`), { lineObjectNumber: '1020', quantity: 1, unitPrice: 50 }); // prettier-ignore
    expect(line.status).toBe(201);
    expect(line.headers.get('location')).toBe(`${api.root}/companies(${USA})/salesOrders(${order.id})/salesOrderLines(${line.body.id})`); // prettier-ignore
    const after = (await api.get(c(`salesOrders(${order.id})`))).body;
    expect(after.totalAmountExcludingTax).toBeCloseTo(order.totalAmountExcludingTax + 50, 2);
    const removed = await api.delete(c(`salesOrders(${order.id})/salesOrderLines(${line.body.id})`), { 'If-Match': '*' }); // prettier-ignore
    expect(removed.status).toBe(204);
    expect((await api.get(c(`salesOrders(${order.id})`))).body.totalAmountExcludingTax).toBe(order.totalAmountExcludingTax); // prettier-ignore
  });

  it('shipAndInvoice turns an order into a posted invoice: inventory out, balance up, order gone', async () => {
    const [order] = (await api.get(c("salesOrders?$top=1&$filter=status eq 'Open'&$expand=salesOrderLines"))).body.value; // prettier-ignore
    const line = order.salesOrderLines[0];
    const item = (await api.get(c(`items(${line.itemId})`))).body;
    const customer = (await api.get(c(`customers(${order.customerId})`))).body;
    const posted = await api.post(c(`salesOrders(${order.id})/Microsoft.NAV.shipAndInvoice`), undefined);
    expect(posted.status).toBe(204);
    expect((await api.get(c(`salesOrders(${order.id})`))).status).toBe(404);
    const invoices = await api.get(c(`salesInvoices?$filter=orderNumber eq '${order.number}'&$expand=salesInvoiceLines`)); // prettier-ignore
    expect(invoices.body.value).toHaveLength(1);
    expect(invoices.body.value[0]).toMatchObject({ status: 'Open', totalAmountIncludingTax: order.totalAmountIncludingTax }); // prettier-ignore
    expect(invoices.body.value[0].salesInvoiceLines).toHaveLength(order.salesOrderLines.length);
    const sold = order.salesOrderLines
      .filter((l: { itemId: string }) => l.itemId === item.id)
      .reduce((sum: number, l: { quantity: number }) => sum + l.quantity, 0);
    expect((await api.get(c(`items(${item.id})`))).body.inventory).toBe(item.inventory - sold);
    expect((await api.get(c(`customers(${customer.id})`))).body.balanceDue).toBeCloseTo(customer.balanceDue + order.totalAmountIncludingTax, 2); // prettier-ignore
    const unknown = await api.post(c(`salesOrders(${order.id})/Microsoft.NAV.shipAndInvoice`), undefined);
    expect(unknown.status).toBe(404);
  });

  it('posting a journal makes G/L entries (with the balancing account) and empties the journal', async () => {
    const [journal] = (await api.get(c("journals?$filter=code eq 'DEFAULT'&$expand=journalLines"))).body.value;
    expect(journal.journalLines).toHaveLength(3);
    const entriesBefore = (await api.get(c('generalLedgerEntries/$count'))).body;
    const post = await api.post(c(`journals(${journal.id})/Microsoft.NAV.post`), undefined);
    expect(post.status).toBe(204);
    expect((await api.get(c(`journals(${journal.id})/journalLines`))).body.value).toEqual([]);
    const entries = (await api.get(c("generalLedgerEntries?$filter=documentNumber eq 'G00001'"))).body.value;
    expect(entries).toHaveLength(6);
    const debit = entries.reduce((s: number, e: { debitAmount: number }) => s + e.debitAmount, 0);
    const credit = entries.reduce((s: number, e: { creditAmount: number }) => s + e.creditAmount, 0);
    expect(debit).toBeCloseTo(credit, 2);
    expect((await api.get(c('generalLedgerEntries/$count'))).body).toBe(entriesBefore + 6);
    const again = await api.post(c(`journals(${journal.id})/Microsoft.NAV.post`), undefined);
    expect(again.body.error).toMatchObject({ code: 'Application_DialogException' });
  });
});
