/**
 * Chained writes in the engine (memory connector): a destination's "out" carries each written record with what the
 * target answered to the nodes after it; order, lineage, outcomes and the watermark along the chain.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunEvent } from '../model/run.js';
import type { RunStateStore } from '../store/run-state.js';
import type { Outcome } from './record.js';
import { runFlow, type RunContext } from './run-flow.js';
import { graphFlow } from './testing/flow-builder.js';
import { type MemoryWorld, createWorld } from './testing/memory-connector.js';
import { memoryRunContext } from './testing/memory-run.js';

let world: MemoryWorld;
let store: RunStateStore;
let ctx: RunContext;
const log: string[] = [];

beforeEach(() => {
  log.length = 0;
  world = createWorld();
  ({ ctx, store } = memoryRunContext(world));
  // Customers get a number from the "system"; orders record which customer number they were given.
  let next = 100;
  world.outcome = (target, r): Outcome => {
    log.push(`${target}:${String(r.data.ref ?? r.data.orderNo)}`);
    if (target === 'customers') {
      if (r.data.name === 'broken') return { status: 'failed', error: 'name refused' };
      if (r.data.name === 'known') return { status: 'skipped', reason: 'already exists', targetKey: 'K1' };
      const number = `C${next++}`;
      return { status: 'created', targetKey: `id-${number}`, result: { id: `id-${number}`, number } };
    }
    return { status: 'created', targetKey: `SO-${String(r.data.orderNo)}` };
  };
});
afterEach(() => store.close());

const rows = (names: string[]) =>
  names.map((name, i) => ({ ref: `R${i + 1}`, name, orderNo: `W${i + 1}`, t: `2026-05-01T00:00:0${i}Z` }));

const chainFlow = (opts: { customers?: number; orders?: number; ordered?: boolean } = {}) =>
  graphFlow(
    'customer-then-order',
    [
      { id: 'src', kind: 'source', config: { dataset: 'web', key: 'ref', deltaField: 't', ordered: opts.ordered } },
      { id: 'toCustomer', kind: 'map', config: { fields: [{ target: 'name', expression: 'name' }, { target: 'ref', expression: 'ref' }] } }, // prettier-ignore
      { id: 'customers', kind: 'destination', config: { target: 'customers', batchSize: opts.customers ?? 2 } },
      {
        id: 'toOrder',
        kind: 'map',
        config: {
          fields: [
            { target: 'orderNo', expression: '$source.orderNo' },
            { target: 'customerNumber', expression: 'result.number', default: 'EXISTING' },
            { target: 'via', expression: 'outcome' },
          ],
        },
      },
      { id: 'orders', kind: 'destination', config: { target: 'orders', batchSize: opts.orders ?? 3 } },
    ],
    ['src -> toCustomer', 'toCustomer -> customers', 'customers:out -> toOrder', 'toOrder -> orders'],
  );

describe('chained writes', () => {
  it('hands each written record and the answer to the next destination, with $source and lineage kept', async () => {
    world.sources.web = rows(['ann', 'broken', 'known', 'bob', 'cy']);
    const summary = await runFlow(chainFlow(), ctx, { pageSize: 2 });
    expect(summary.status).toBe('succeeded');
    expect(world.written.orders).toEqual([
      { orderNo: 'W1', customerNumber: 'C100', via: 'created' },
      { orderNo: 'W3', customerNumber: 'EXISTING', via: 'skipped' },
      { orderNo: 'W4', customerNumber: 'C101', via: 'created' },
      { orderNo: 'W5', customerNumber: 'C102', via: 'created' },
    ]);
    // One outcome per destination the record reached; the failed customer's order was never attempted.
    expect(summary.counts).toEqual({ created: 7, updated: 0, unchanged: 0, skipped: 1, filtered: 0, failed: 1 });
    expect(summary.nodes.customers).toMatchObject({ in: 5, out: 4, failed: 1 });
    expect(summary.nodes.orders).toMatchObject({ in: 4, out: 4 });
    const history = store.runOutcomes(summary.runId).map((o) => `${o.nodeId} ${o.sourceKey} ${o.status} ${o.targetKey ?? ''}`.trim()); // prettier-ignore
    expect(history).toEqual(
      expect.arrayContaining([
        'customers R1 created id-C100',
        'orders R1 created SO-W1',
        'customers R2 failed',
        'customers R3 skipped K1',
        'orders R3 created SO-W3',
      ]),
    );
    expect(history.filter((h) => h.startsWith('orders R2'))).toEqual([]);
  });

  it('writes a record downstream only after its upstream write returned', async () => {
    world.sources.web = rows(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    await runFlow(chainFlow({ customers: 3, orders: 2 }), ctx, { pageSize: 2 });
    for (let i = 1; i <= 7; i++) {
      expect(log.indexOf(`customers:R${i}`)).toBeGreaterThanOrEqual(0);
      expect(log.indexOf(`orders:W${i}`)).toBeGreaterThan(log.indexOf(`customers:R${i}`));
    }
    // Each destination keeps the source's order.
    expect(log.filter((l) => l.startsWith('orders'))).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((_, i) => `orders:W${i + 1}`)); // prettier-ignore
  });

  it('carries the would-be result in a dry run: the data sent, without keys the target would give', async () => {
    world.sources.web = rows(['ann']);
    world.outcome = (target, r) =>
      target === 'customers' ? { status: 'created' } : { status: 'created', targetKey: String(r.data.orderNo) };
    const events: RunEvent[] = [];
    await runFlow(chainFlow(), ctx, { dryRun: true, previewLimit: 5, onEvent: (e) => events.push(e) });
    const previews = events.find((e) => e.type === 'node-previews');
    expect(previews?.type === 'node-previews' && previews.previews.toOrder?.in).toEqual([
      { record: { name: 'ann', ref: 'R1' }, result: { name: 'ann', ref: 'R1' }, outcome: 'created' },
    ]);
    expect(previews?.type === 'node-previews' && previews.previews.toOrder?.out).toEqual([
      { orderNo: 'W1', customerNumber: 'EXISTING', via: 'created' },
    ]);
  });

  it('moves the watermark only when a record settled at the end of the chain', async () => {
    world.sources.web = rows(['a', 'b', 'c', 'd', 'e', 'f']);
    // Customers write across pages (batches of 3, pages of 2), so a page's customers are settled after the page went
    // through; orders buffer everything until the source ends, then their write fails: no record finished its chain.
    world.failWrite = (target) => (target === 'orders' ? new Error('orders system down') : undefined);
    const failed = await runFlow(chainFlow({ ordered: true, customers: 3, orders: 100 }), ctx, { pageSize: 2 });
    expect(failed.status).toBe('failed');
    expect(failed.counts.created).toBe(6); // every customer was written
    expect(store.getWatermarks('ws', 'customer-then-order')).toEqual({});

    // Orders written in batches of 4: pages 0 and 1 finish their chain; page 2 waits in the buffer until the end.
    world.failWrite = undefined;
    const seen: (string | undefined)[] = [];
    world.beforeWrite = async (target) => {
      if (target === 'orders') seen.push(store.getWatermarks('ws', 'customer-then-order').src);
    };
    const ok = await runFlow(chainFlow({ ordered: true, customers: 2, orders: 4 }), ctx, { pageSize: 2 });
    expect(ok.status).toBe('succeeded');
    expect(seen).toEqual([undefined, '2026-05-01T00:00:03Z']);
    expect(ok.watermarks.src).toBe('2026-05-01T00:00:05Z');
  });

  it('a destination whose out is not connected writes as before', async () => {
    world.sources.web = rows(['ann', 'bob']);
    const flow = chainFlow();
    flow.nodes = flow.nodes.filter((n) => n.id === 'src' || n.id === 'toCustomer' || n.id === 'customers');
    flow.edges = flow.edges.filter((e) => e.from.node !== 'customers' && e.to.node !== 'orders');
    const summary = await runFlow(flow, ctx);
    expect(summary.counts.created).toBe(2);
    expect(world.written.orders).toBeUndefined();
  });

  it('warns once per destination of the records an update-only write skipped as missing', async () => {
    world.sources.web = rows(['a', 'b', 'c']);
    world.outcome = (target, r) =>
      target === 'customers' && r.data.name !== 'b'
        ? { status: 'skipped', reason: 'does not exist' }
        : { status: 'updated' };
    const events: RunEvent[] = [];
    const summary = await runFlow(chainFlow(), ctx, { onEvent: (e) => events.push(e) });
    const warning =
      'destination "customers": 2 records do not exist in the target and were skipped (operation updateOnly)';
    expect(summary.warnings).toEqual([warning]);
    expect(events.filter((e) => e.type === 'run-warning')).toEqual([
      { type: 'run-warning', runId: summary.runId, message: warning },
    ]);
  });
});
