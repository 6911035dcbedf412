import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AcumaticaEmulator, startAcumaticaEmulator } from './server.js';
import { client } from './test-support.js';

describe('Acumatica emulator: actions', () => {
  let acu: AcumaticaEmulator;
  let c: Awaited<ReturnType<typeof client>>;
  beforeEach(async () => {
    acu = await startAcumaticaEmulator({ actionPolls: 2, size: { customers: 1, stockItems: 1, salesOrders: 1 } });
    c = await client(acu);
  });
  afterEach(async () => {
    await acu.close();
  });

  /** Invokes an action and polls its Location until it stops answering 202; returns the statuses seen. */
  async function run(entity: string, action: string, keys: Record<string, string>) {
    const body = {
      entity: Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, { value: v }])),
      parameters: {},
    };
    const started = await c.post(`${entity}/${action}`, body);
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    expect(location).toMatch(new RegExp(`/entity/Default/24\\.200\\.001/${entity}/${action}/status/[0-9a-f-]{36}$`));
    const statuses: number[] = [];
    let last;
    do {
      last = await c.get(location);
      statuses.push(last.status);
    } while (last.status === 202 && statuses.length < 10);
    return { statuses, last };
  }

  it('releases an invoice: 202 + Location, polled 202 while it runs, then 204; the status moves on', async () => {
    const onHold = await run('SalesInvoice', 'ReleaseSalesInvoice', { Type: 'Invoice', ReferenceNbr: 'INV000046' });
    expect(onHold.statuses).toEqual([202, 202, 500]);
    expect(onHold.last.body.exceptionMessage).toMatch(/On Hold status and cannot be processed/);

    expect((await c.put('SalesInvoice', { Type: { value: 'Invoice' }, ReferenceNbr: { value: 'INV000046' }, Hold: { value: false } })).body.Status).toEqual({ value: 'Balanced' }); // prettier-ignore
    const released = await run('SalesInvoice', 'ReleaseSalesInvoice', { Type: 'Invoice', ReferenceNbr: 'INV000046' });
    expect(released.statuses).toEqual([202, 202, 204]);
    const invoice = (await c.get('SalesInvoice/Invoice/INV000046')).body;
    expect(invoice.Status).toEqual({ value: 'Open' });
    expect(invoice.Balance).toEqual({ value: 189.93 });
    expect(acu.stats.actionsInvoked).toBe(2);
  });

  it('releases a balanced journal transaction and refuses an unbalanced one', async () => {
    const created = await c.put('JournalTransaction', {
      Description: { value: 'Accrual' },
      Details: [
        { Account: { value: '10200' }, DebitAmount: { value: 100 } },
        { Account: { value: '40000' }, CreditAmount: { value: 90 } },
      ],
    });
    expect(created.body).toMatchObject({ Module: { value: 'GL' }, Status: { value: 'Unbalanced' } });
    const batch = created.body.BatchNbr.value as string;
    expect((await run('JournalTransaction', 'ReleaseJournalTransaction', { Module: 'GL', BatchNbr: batch })).statuses).toEqual([202, 202, 500]); // prettier-ignore
    const lines = (await c.get(`JournalTransaction/GL/${batch}?$expand=Details`)).body.Details;
    await c.put('JournalTransaction', { Module: { value: 'GL' }, BatchNbr: { value: batch }, Details: [{ id: lines[1].id, CreditAmount: { value: 100 } }] }); // prettier-ignore
    expect((await run('JournalTransaction', 'ReleaseJournalTransaction', { Module: 'GL', BatchNbr: batch })).statuses).toEqual([202, 202, 204]); // prettier-ignore
    expect((await c.get(`JournalTransaction/GL/${batch}`)).body.Status).toEqual({ value: 'Posted' });
  });

  it('refuses an action the entity does not have, a missing entity and a record that does not exist', async () => {
    const unknown = await c.post('SalesOrder/ReleaseSalesOrder', { entity: { OrderType: { value: 'SO' }, OrderNbr: { value: '000001' } } }); // prettier-ignore
    expect(unknown.status).toBe(400);
    expect((await c.post('SalesOrder/CancelSalesOrder', { parameters: {} })).status).toBe(400);
    const missing = await c.post('SalesOrder/CancelSalesOrder', { entity: { OrderType: { value: 'SO' }, OrderNbr: { value: '999999' } } }); // prettier-ignore
    expect(missing.body.exceptionType).toMatch(/NoEntitySatisfiesTheCondition/);
    const cancelled = await run('SalesOrder', 'CancelSalesOrder', { OrderType: 'SO', OrderNbr: '000002' });
    expect(cancelled.statuses.at(-1)).toBe(204);
    expect((await c.get('SalesOrder/SO/000002')).body.Status).toEqual({ value: 'Cancelled' });
  });
});
