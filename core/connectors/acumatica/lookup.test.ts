/**
 * Acumatica lookups and destination operations against the emulator, through a recording proxy: `or` batches on
 * one field (a linked entity's field too), typed literals, several fields with `$top=1`, the run's cache counted
 * at the proxy; and every operation with the emulator's final state.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../engine/record.js';
import { runFlow } from '../../engine/run-flow.js';
import { graphFlow } from '../../engine/testing/flow-builder.js';
import { createWorld } from '../../engine/testing/memory-connector.js';
import { type Exchange, recordingProxy } from '../net/recording-proxy.js';
import type { DestinationWriter, LookupRuntime } from '../types.js';
import { ACUMATICA_DEMO, type AcumaticaEmulator, startAcumaticaEmulator } from './emulator/index.js';
import { createAcumaticaConnector } from './index.js';
import { resetLoginCoolDowns } from './session.js';
import { acuContext, acuRunContext, demoSecrets, demoSettings, fakeClock } from './test-support.js';

let acu: AcumaticaEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
const signal = new AbortController().signal;
const closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  acu = await startAcumaticaEmulator();
  proxy = await recordingProxy(acu.url);
});
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
  resetLoginCoolDowns();
  await proxy.close();
  await acu.close();
});

const instanceUrl = () => `${proxy.url}/${ACUMATICA_DEMO.instance}`;
const connector = () => createAcumaticaConnector({ clock: fakeClock(), random: () => 0.5 });
const ctx = () => acuContext(demoSettings(instanceUrl()), demoSecrets());

async function lookup(config: Record<string, unknown>): Promise<LookupRuntime> {
  const runtime = await connector().lookup!.open(config, ctx());
  closers.push(() => runtime.close!());
  return runtime;
}
async function destination(config: Record<string, unknown>): Promise<DestinationWriter> {
  const writer = await connector().destination!.open(config, ctx());
  closers.push(() => writer.close({ ok: true, dryRun: false }));
  return writer;
}

const customerReads = (exchanges: Exchange[]) =>
  exchanges
    .filter((e) => e.method === 'GET' && e.url.includes('/Customer?'))
    .map((e) => decodeURIComponent(e.url.split('?')[1]!));
const customer = (id: string) => acu.store.findByKeys('Customer', [id])?.fields;

describe('Acumatica lookup', () => {
  it('asks for many values of a linked entity’s field in one request, text compared without case', async () => {
    const find = await lookup({ entity: 'Customer', fields: ['CustomerID'] });
    const found = await find.find(
      [
        { 'MainContact.Email': 'ORDERS@coffeecorner.con' },
        { 'MainContact.Email': 'nobody@example.com' },
        { 'MainContact.Email': 'info@greengarden.con' },
      ],
      signal,
    );
    expect(found.map((r) => r?.CustomerID)).toEqual(['C000000001', undefined, 'C000000002']);
    const reads = customerReads(proxy.exchanges);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain(
      "$filter=(MainContact/Email eq 'ORDERS@coffeecorner.con' or MainContact/Email eq 'nobody@example.com' or MainContact/Email eq 'info@greengarden.con')",
    );
    // The compared field rides along in the $select, with its linked entity expanded.
    expect(reads[0]).toContain('$select=CustomerID,MainContact/Email');
  });

  it('matches several fields with $top=1, skips values a field cannot hold, refuses detail fields', async () => {
    const find = await lookup({ entity: 'SalesOrder' });
    const [type, number] = ACUMATICA_DEMO.keys.salesOrder;
    const found = await find.find([{ OrderType: type, OrderNbr: number }, { OrderTotal: 'much' }], signal);
    expect(found.map((r) => r?.OrderNbr)).toEqual([number, undefined]);
    const reads = proxy.exchanges.filter((e) => e.url.includes('/SalesOrder?')).map((e) => decodeURIComponent(e.url)); // prettier-ignore
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain(`$filter=(OrderType eq '${type}' and OrderNbr eq '${number}')&$top=1`);
    await expect(find.find([{ 'Details.InventoryID': 'X' }], signal)).rejects.toThrow(
      'Details.InventoryID: Acumatica cannot filter on the fields of a detail (Details)',
    );
    await expect(find.find([{ Nbr: 'X' }], signal)).rejects.toThrow(/SalesOrder has no field "Nbr"/);
  });

  it('in a run, a customer found once is not asked again', async () => {
    const world = createWorld({
      orders: ['C000000001', 'C000000002', 'C000000001', 'C000000002', 'C000000001', 'NOPE'].map((c, i) => ({ id: `O${i}`, c })), // prettier-ignore
    });
    const { ctx: run, store } = await acuRunContext(world, instanceUrl());
    closers.push(async () => store.close());
    const flow = graphFlow(
      'orders',
      [
        { id: 'src', kind: 'source', config: { dataset: 'orders', key: 'id' } },
        { id: 'customer', kind: 'lookup', type: 'acumatica', config: { connection: 'acu', entity: 'Customer', fields: ['CustomerID', 'CustomerName'], match: [{ field: 'CustomerID', expression: 'c' }] } }, // prettier-ignore
        { id: 'known', kind: 'destination', config: { target: 'known' } },
      ],
      ['src -> customer', 'customer:found -> known'],
    );
    const summary = await runFlow(flow, run, { pageSize: 2 });
    expect(summary.counts).toMatchObject({ created: 5, skipped: 1 });
    expect(world.written.known?.map((r) => (r.match as { CustomerName: string }).CustomerName)).toEqual([
      'Coffee Corner',
      'Green Garden Cafe',
      'Coffee Corner',
      'Green Garden Cafe',
      'Coffee Corner',
    ]);
    expect(customerReads(proxy.exchanges)).toHaveLength(2); // page 1: both customers; page 3: only NOPE
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
  });
});

const rec = (data: Record<string, unknown>, createOnly?: string[]): FlowRecord => ({
  data,
  source: data,
  lineage: { node: 'src', key: String(data.CustomerID), page: 0 },
  ...(createOnly ? { createOnly } : {}),
});

describe('Acumatica destination operations', () => {
  const existing = ACUMATICA_DEMO.keys.customer;
  const row = (id: string, name: string) => ({ CustomerID: id, CustomerName: name, CustomerClass: 'DEFAULT' });

  it('createOnly and the earlier "create": a held record is skipped, a new one created', async () => {
    for (const operation of ['createOnly', 'create']) {
      const w = await destination({ entity: 'Customer', operation });
      const id = `NEW-${operation}`;
      const outcomes = await w.write([rec(row(existing, 'Overwrite?')), rec(row(id, 'Fresh'))], { dryRun: false, signal }); // prettier-ignore
      expect(outcomes.map((o) => [o.status, 'reason' in o ? o.reason : undefined])).toEqual([
        ['skipped', 'already exists'],
        ['created', undefined],
      ]);
      expect(customer(id)?.CustomerName).toBe('Fresh');
    }
    expect(customer(existing)?.CustomerName).toBe('Mint Bakery');
  });

  it('updateOnly and the earlier "update": a missing record is skipped, a held one updated without create-only fields', async () => {
    for (const operation of ['updateOnly', 'update']) {
      const w = await destination({ entity: 'Customer', operation });
      const held = rec({ ...row(existing, 'Not on update'), Terms: operation === 'update' ? '15D' : '60D' }, ['CustomerName']); // prettier-ignore
      const outcomes = await w.write([held, rec(row('GHOST1', 'Ghost'))], { dryRun: false, signal });
      expect(outcomes.map((o) => [o.status, 'reason' in o ? o.reason : undefined])).toEqual([
        ['updated', undefined],
        ['skipped', 'does not exist'],
      ]);
      expect(customer(existing)).toMatchObject({ CustomerName: 'Mint Bakery', Terms: operation === 'update' ? '15D' : '60D' }); // prettier-ignore
      expect(customer('GHOST1')).toBeUndefined();
    }
  });

  it('upsert: created, then updated; the answer carries what Acumatica saved', async () => {
    const w = await destination({ entity: 'Customer', operation: 'upsert' });
    const [created] = await w.write([rec(row('UPS001', 'One'))], { dryRun: false, signal });
    const [updated] = await w.write([rec(row('UPS001', 'One, renamed'), ['CustomerClass'])], { dryRun: false, signal }); // prettier-ignore
    expect(created).toMatchObject({ status: 'created', targetKey: 'UPS001', result: { CustomerID: 'UPS001', CustomerName: 'One' } }); // prettier-ignore
    expect(updated).toMatchObject({ status: 'updated', result: { CustomerName: 'One, renamed', id: expect.any(String) } }); // prettier-ignore
    const puts = proxy.exchanges.filter((e) => e.method === 'PUT');
    expect(puts[1]!.requestBody).toEqual({ CustomerID: { value: 'UPS001' }, CustomerName: { value: 'One, renamed' } });
  });
});
