/**
 * The connector's client, source and destination against the Acumatica emulator, through a recording proxy whose
 * exchanges are checked against the catalog: paging, delta, unwrapping (details, linked entities, custom fields),
 * PUT create/update/upsert with 412 and 422, actions polled to their end, and 429 backoff with Retry-After.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../engine/record.js';
import { type Exchange, recordingProxy } from '../net/recording-proxy.js';
import type { DestinationWriter, SourcePage, SourceReader } from '../types.js';
import { ACUMATICA_DEMO, type AcumaticaEmulator, startAcumaticaEmulator } from './emulator/index.js';
import { createAcumaticaConnector } from './index.js';
import { resetLoginCoolDowns } from './session.js';
import { acuContext, contractProblems, demoSecrets, demoSettings, fakeClock } from './test-support.js';

let acu: AcumaticaEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
const signal = new AbortController().signal;

async function start(options: Parameters<typeof startAcumaticaEmulator>[0] = {}) {
  acu = await startAcumaticaEmulator(options);
  proxy = await recordingProxy(acu.url);
}

afterEach(async () => {
  resetLoginCoolDowns();
  await proxy?.close();
  await acu?.close();
});

const instanceUrl = () => `${proxy.url}/${ACUMATICA_DEMO.instance}`;

function connector(clock = fakeClock()) {
  return createAcumaticaConnector({ clock, random: () => 0.5 });
}

async function source(config: Record<string, unknown>, settings: Record<string, unknown> = {}, clock = fakeClock()) {
  const ctx = acuContext(demoSettings(instanceUrl(), settings), demoSecrets());
  return (await connector(clock).source!.open(config, ctx)) as SourceReader;
}

async function destination(config: Record<string, unknown>, clock = fakeClock()) {
  const ctx = acuContext(demoSettings(instanceUrl()), demoSecrets());
  return (await connector(clock).destination!.open(config, ctx)) as DestinationWriter;
}

async function readAll(reader: SourceReader, since?: string): Promise<SourcePage[]> {
  const pages: SourcePage[] = [];
  for await (const page of reader.pages({ pageSize: 1000, since, signal })) pages.push(page);
  await reader.close?.();
  return pages;
}

const rec = (data: Record<string, unknown>, key = String(data.CustomerID ?? '?')): FlowRecord => ({
  data,
  source: data,
  lineage: { node: 'csv', key, page: 0 },
});
const write = (w: DestinationWriter, records: FlowRecord[]) => w.write(records, { dryRun: false, signal });
const reads = (exchanges: Exchange[], entity: string) =>
  exchanges.filter((e) => e.method === 'GET' && e.url.includes(`/${entity}?`));

describe('reading', () => {
  beforeEach(() => start({ size: { stockItems: 2500 } }));

  it('pages StockItems with $top/$skip, unwraps them, signs in once and out once', async () => {
    const reader = await source({ entity: 'StockItem', fields: ['InventoryID', 'Description', 'DefaultPrice'], pageSize: 1000 }); // prettier-ignore
    const records = (await readAll(reader)).flatMap((p) => p.records);
    const total = acu.store.count('StockItem');
    expect(total).toBeGreaterThan(2500);
    expect(records).toHaveLength(total);
    expect(records[0]).toEqual({
      id: expect.any(String),
      InventoryID: expect.any(String),
      Description: expect.any(String),
      DefaultPrice: expect.any(Number),
      LastModifiedDateTime: expect.any(String),
    });
    const pages = reads(proxy.exchanges, 'StockItem').map((e) => decodeURIComponent(e.url));
    expect(pages).toHaveLength(3);
    expect(pages[0]).toContain('$select=InventoryID,Description,DefaultPrice,LastModifiedDateTime&$top=1000');
    expect(pages[1]).toMatch(/\$top=1000&\$skip=1000$/);
    expect(pages[2]).toMatch(/\$top=1000&\$skip=2000$/);
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
    expect(contractProblems(proxy.exchanges)).toEqual([]);
  });

  it('reads incrementally with a datetimeoffset literal on LastModifiedDateTime', async () => {
    const all = (await readAll(await source({ entity: 'Customer' }))).flatMap((p) => p.records);
    const stamps = all.map((r) => String(r.LastModifiedDateTime)).sort();
    const since = stamps[stamps.length - 4]!;
    const reader = await source({ entity: 'Customer', fields: ['CustomerID'] });
    expect(reader.delta).toEqual({ field: 'LastModifiedDateTime', ordered: false });
    const newer = (await readAll(reader, since)).flatMap((p) => p.records);
    expect(newer.map((r) => r.LastModifiedDateTime).sort()).toEqual(stamps.slice(-3));
    const url = decodeURIComponent(reads(proxy.exchanges, 'Customer').at(-1)!.url);
    expect(url).toContain(`$filter=LastModifiedDateTime gt datetimeoffset'${since}'`);
  });

  it('unwraps details and linked entities as plain objects and custom fields as custom.View.Field', async () => {
    const orders = (await readAll(await source({ entity: 'SalesOrder', expand: ['Details'], fields: ['CustomerID', 'Details/InventoryID', 'Details/OrderQty', 'ShipToAddress.City'] }))).flatMap((p) => p.records); // prettier-ignore
    const order = orders.find((o) => o.OrderNbr === ACUMATICA_DEMO.keys.salesOrder[1])!;
    expect(order.Details).toEqual(expect.arrayContaining([{ id: expect.any(String), InventoryID: expect.any(String), OrderQty: expect.any(Number) }])); // prettier-ignore
    expect(typeof order.OrderType).toBe('string');
    const url = decodeURIComponent(reads(proxy.exchanges, 'SalesOrder')[0]!.url);
    expect(url).toContain('$expand=Details,ShipToAddress');
    const invoices = (await readAll(await source({ entity: 'SalesInvoice', custom: ['Document.CuryBalanceWOTotal'] }))).flatMap((p) => p.records); // prettier-ignore
    expect(invoices.length).toBeGreaterThan(0);
    expect(Object.keys(invoices[0]!)).toContain('custom.Document.CuryBalanceWOTotal');
    expect(contractProblems(proxy.exchanges)).toEqual([]);
  });

  it('refuses a field the catalog does not have before any request, naming the likely one', async () => {
    await expect(source({ entity: 'Customer', fields: ['customername'] })).rejects.toThrow(
      'Customer has no field "customername" (did you mean CustomerName?)',
    );
    await expect(source({ entity: 'Customers' })).rejects.toThrow('has no top-level entity "Customers"');
    expect(acu.stats.logins).toBe(0);
  });
});

describe('writing', () => {
  beforeEach(() => start());

  const customer = (id: string, name: string, extra: Record<string, unknown> = {}) =>
    rec({ CustomerID: id, CustomerName: name, CustomerClass: 'DEFAULT', ...extra });

  it('upsert: PUT without conditions; created, then updated, told apart by the key index', async () => {
    const w = await destination({ entity: 'Customer', operation: 'upsert' });
    const first = await write(w, [customer('NEW001', 'New One', { MainContact: { Email: 'a@example.com' } }), customer('NEW002', 'New Two')]); // prettier-ignore
    // Each outcome carries the record as Acumatica saved it (unwrapped): what a chained write reads.
    const saved = (id: string, name: string) =>
      expect.objectContaining({ id: expect.any(String), CustomerID: id, CustomerName: name });
    expect(first).toEqual([
      { status: 'created', targetKey: 'NEW001', result: saved('NEW001', 'New One') },
      { status: 'created', targetKey: 'NEW002', result: saved('NEW002', 'New Two') },
    ]);
    const second = await write(w, [customer('NEW001', 'Renamed One')]);
    expect(second).toEqual([{ status: 'updated', targetKey: 'NEW001', result: saved('NEW001', 'Renamed One') }]);
    await w.close({ ok: true, dryRun: false });
    const stored = acu.store.findByKeys('Customer', ['NEW001'])!;
    expect(stored.fields.CustomerName).toBe('Renamed One');
    const puts = proxy.exchanges.filter((e) => e.method === 'PUT');
    expect(puts).toHaveLength(3);
    expect(puts[0]!.requestBody).toEqual({
      CustomerID: { value: 'NEW001' },
      CustomerName: { value: 'New One' },
      CustomerClass: { value: 'DEFAULT' },
      MainContact: { Email: { value: 'a@example.com' } },
    });
    expect(contractProblems(proxy.exchanges)).toEqual([]);
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
  });

  it('createOnly and updateOnly: If-None-Match / If-Match; 412 becomes "already exists" / "does not exist"', async () => {
    const existing = ACUMATICA_DEMO.keys.customer;
    const written = expect.objectContaining({ CustomerID: 'NEW003' });
    // create and update: the names Acumatica flows used before the shared operations, with their meaning.
    const create = await destination({ entity: 'Customer', operation: 'create' });
    expect(await write(create, [customer(existing, 'X'), customer('NEW003', 'Three')])).toEqual([
      { status: 'skipped', reason: 'already exists', targetKey: existing },
      { status: 'created', targetKey: 'NEW003', result: written },
    ]);
    const update = await destination({ entity: 'Customer', operation: 'updateOnly' });
    expect(await write(update, [customer('NOPE01', 'X'), customer('NEW003', 'Three again')])).toEqual([
      { status: 'skipped', reason: 'does not exist', targetKey: 'NOPE01' },
      { status: 'updated', targetKey: 'NEW003', result: written },
    ]);
    await create.close({ ok: true, dryRun: false });
    await update.close({ ok: true, dryRun: false });
    const headers = proxy.exchanges.filter((e) => e.method === 'PUT').map((e) => e.status);
    expect(headers).toEqual([412, 200, 412, 200]);
  });

  it("422 fails the record with Acumatica's per-field errors; the others are written", async () => {
    const w = await destination({ entity: 'SalesOrder', operation: 'upsert' });
    const order = (lines: unknown[], customerId = ACUMATICA_DEMO.keys.customer) =>
      rec({ OrderType: 'SO', CustomerID: customerId, Details: lines }, 'SO');
    const outcomes = await write(w, [
      order([{ InventoryID: 'NO-SUCH-ITEM', OrderQty: 1 }]),
      order([{ InventoryID: ACUMATICA_DEMO.keys.stockItems[0], OrderQty: '2' }]),
    ]);
    await w.close({ ok: true, dryRun: false });
    expect(outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('Details[0].InventoryID:') });
    expect(outcomes[1]).toMatchObject({ status: 'created', targetKey: expect.stringMatching(/^SO\/\d+$/) });
    expect(contractProblems(proxy.exchanges)).toEqual([]);
  });

  it('fails a record the catalog refuses without sending it', async () => {
    const w = await destination({ entity: 'Customer' });
    const outcomes = await write(w, [customer('NEW004', 'Four', { CreditLimit: 'lots' })]);
    await w.close({ ok: true, dryRun: false });
    expect(outcomes).toEqual([{ status: 'failed', error: 'CreditLimit: expected a number, got "lots"' }]);
    expect(proxy.exchanges.filter((e) => e.method === 'PUT')).toEqual([]);
  });

  it('runs an action on each written record and polls its 202 Location until 204', async () => {
    await acu.close();
    await proxy.close();
    await start({ actionPolls: 3 });
    const clock = fakeClock();
    const w = await destination({ entity: 'SalesOrder', operation: 'create', action: 'OpenSalesOrder' }, clock);
    const outcomes = await write(w, [
      rec({ OrderType: 'SO', CustomerID: ACUMATICA_DEMO.keys.customer, Hold: true, Details: [{ InventoryID: ACUMATICA_DEMO.keys.stockItems[0], OrderQty: 1 }] }, 'SO'), // prettier-ignore
    ]);
    await w.close({ ok: true, dryRun: false });
    expect(outcomes[0]).toMatchObject({ status: 'created' });
    const nbr = (outcomes[0] as { targetKey: string }).targetKey.split('/')[1]!;
    expect(acu.store.findByKeys('SalesOrder', ['SO', nbr])!.fields).toMatchObject({ Hold: false, Status: 'Open' });
    const action = proxy.exchanges.filter((e) => e.url.includes('/SalesOrder/OpenSalesOrder'));
    expect(action.map((e) => `${e.method} ${e.status}`)).toEqual([
      'POST 202',
      'GET 202',
      'GET 202',
      'GET 202',
      'GET 204',
    ]);
    expect(clock.sleeps.slice(-4)).toEqual([250, 500, 1000, 2000]);
    expect(acu.stats.actionsInvoked).toBe(1);
    expect(contractProblems(proxy.exchanges)).toEqual([]);
  });

  it('an action the entity does not have stops before any request', async () => {
    await expect(destination({ entity: 'Customer', action: 'ReleaseSalesOrder' })).rejects.toThrow(
      'Customer has no action "ReleaseSalesOrder" (its actions: CreateContactFromCustomer',
    );
  });
});

describe('limits', () => {
  it('keeps the requests-per-minute budget, spread over the minute (a sixth in any 10 s), shared by the flows', async () => {
    await start();
    const clock = fakeClock();
    const started = clock.time;
    const settings = demoSettings(instanceUrl(), { requestsPerMinute: 60 });
    const open = async () =>
      (await connector(clock).destination!.open({ entity: 'Customer' }, acuContext(settings, demoSecrets()))) as DestinationWriter; // prettier-ignore
    const [a, b] = [await open(), await open()];
    const records = (prefix: string) => Array.from({ length: 12 }, (_, i) => rec({ CustomerID: `${prefix}${i}`, CustomerName: 'Budget', CustomerClass: 'DEFAULT' })); // prettier-ignore
    const outcomes = await Promise.all([write(a, records('BA')), write(b, records('BB'))]);
    await a.close({ ok: true, dryRun: false });
    await b.close({ ok: true, dryRun: false });
    expect(outcomes.flat().every((o) => o.status === 'created')).toBe(true);
    // 1 sign-in + 2 index reads + 24 PUTs = 27 grants at 10 per 10 s (+ the window's margin): the 21st waits for
    // the second window to pass, and nothing waits longer than needed.
    const elapsed = clock.time - started;
    expect(elapsed).toBeGreaterThanOrEqual(20_000);
    expect(elapsed).toBeLessThan(30_000);
    expect(acu.stats.throttled).toBe(0);
  });

  it('honours 429 with Retry-After: waits as told and reads on', async () => {
    await start({ size: { stockItems: 300 }, faults: { seed: 7, errors: [{ status: 429, rate: 0.3 }] } });
    const clock = fakeClock();
    const reader = await source({ entity: 'StockItem', fields: ['InventoryID'], pageSize: 25 }, {}, clock);
    const records = (await readAll(reader)).flatMap((p) => p.records);
    expect(records).toHaveLength(acu.store.count('StockItem'));
    expect(acu.stats.errors).toBeGreaterThan(0);
    // Every 429 was followed by the 1 s the emulator's Retry-After asked for.
    expect(clock.sleeps.filter((ms) => ms === 1000).length).toBe(acu.stats.errors);
  });
});
