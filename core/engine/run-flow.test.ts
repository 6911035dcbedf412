import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionError } from '../connectors/errors.js';
import { ConnectorRegistry } from '../connectors/registry.js';
import type { RunEvent } from '../model/run.js';
import { ValidationError } from '../model/validation-error.js';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { RunStateStore } from '../store/run-state.js';
import { runFlow, type RunContext } from './run-flow.js';
import { chainFlow } from './testing/flow-builder.js';
import { type MemoryWorld, createWorld, memoryConnector } from './testing/memory-connector.js';

const rows = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => ({
    id: String(from + i),
    name: `item ${from + i}`,
    price: (from + i) * 1.5,
    status: (from + i) % 5 === 0 ? 'inactive' : 'active',
    updatedAt: `2026-01-01T00:00:${String(from + i).padStart(2, '0')}Z`,
  }));

let world: MemoryWorld;
let store: RunStateStore;
let ctx: RunContext;

beforeEach(() => {
  world = createWorld();
  store = new RunStateStore(':memory:');
  ctx = {
    workspace: { dir: '/nonexistent', workspaceId: 'ws1', connections: new Map() },
    registry: new ConnectorRegistry([memoryConnector(world)]),
    secrets: new MemorySecretStore(),
    runState: store,
  };
});
afterEach(() => store.close());

const basicFlow = (opts: { source?: Record<string, unknown>; dest?: Record<string, unknown> } = {}) =>
  chainFlow('products', [
    { id: 'src', kind: 'source', config: { dataset: 'products', key: 'id', ...opts.source } },
    {
      id: 'map',
      kind: 'map',
      config: {
        fields: [
          { target: 'number', expression: 'id' },
          { target: 'label', expression: 'name & " @ " & $string(price)' },
        ],
      },
    },
    { id: 'active', kind: 'filter', config: { expression: '$source.status = "active"' } },
    { id: 'dst', kind: 'destination', config: { target: 'out', ...opts.dest } },
  ]);

describe('runFlow outcomes', () => {
  it('gives every record exactly one outcome and keeps failures with lineage', async () => {
    world.sources.products = rows(20);
    world.outcome = (_t, r) => {
      const n = Number(r.data.number);
      if (n === 3) return { status: 'failed', error: 'HTTP 400: sku required' };
      if (n === 4) return { status: 'skipped', reason: 'already exists' };
      if (n === 6) return { status: 'unchanged' };
      if (n === 7) return { status: 'updated', changes: [{ field: 'label', before: 'x', after: 'y' }] };
      return { status: 'created', targetKey: `T${n}` };
    };
    const summary = await runFlow(basicFlow(), ctx);
    expect(summary.status).toBe('succeeded');
    // 20 read: 4 inactive filtered; of 16 written: 1 failed, 1 skipped, 1 unchanged, 1 updated, 12 created.
    expect(summary.counts).toEqual({ created: 12, updated: 1, unchanged: 1, skipped: 1, filtered: 4, failed: 1 });
    const total = Object.values(summary.counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(20);
    expect(summary.failures).toEqual([{ node: 'dst', sourceNode: 'src', key: '3', error: 'HTTP 400: sku required' }]);
    expect(world.written.out?.map((r) => r.number)).toEqual([
      '1',
      '2',
      '7',
      '8',
      '9',
      '11',
      '12',
      '13',
      '14',
      '16',
      '17',
      '18',
      '19',
    ]);
    expect(world.written.out?.[0]).toEqual({ number: '1', label: 'item 1 @ 1.5' });
    const history = store.runOutcomes(summary.runId);
    expect(history.map((h) => h.status).sort()).toEqual(
      [...Array(12).fill('created'), 'failed', 'skipped', 'updated'].sort(),
    );
    expect(history.find((h) => h.status === 'updated')?.changes).toBe('[{"field":"label","before":"x","after":"y"}]');
    expect(summary.nodes).toMatchObject({
      src: { in: 20, out: 20 },
      map: { in: 20, out: 20 },
      active: { in: 20, out: 16 },
      dst: { in: 16, out: 15, failed: 1 },
    });
    expect(store.listRuns('ws1', 'products')[0]).toMatchObject({ status: 'succeeded' });
  });

  it('fails a record whose expression fails, names field and expression, and goes on', async () => {
    world.sources.products = [
      { id: '1', price: 2 },
      { id: '2', price: 'abc' },
      { id: '3', price: 4 },
    ];
    const flow = chainFlow('calc', [
      { id: 'src', kind: 'source', config: { dataset: 'products', key: 'id' } },
      { id: 'map', kind: 'map', config: { fields: [{ target: 'double', expression: 'price * 2' }] } },
      { id: 'dst', kind: 'destination', config: { target: 'out' } },
    ]);
    const summary = await runFlow(flow, ctx);
    expect(summary.counts.created).toBe(2);
    expect(summary.counts.failed).toBe(1);
    expect(summary.failures[0]).toMatchObject({ node: 'map', key: '2' });
    expect(summary.failures[0]!.error).toMatch(/^double: price \* 2: .*T2001/);
    expect(world.written.out).toEqual([{ double: 4 }, { double: 8 }]);
  });

  it('counts source-level failures (unreadable rows) as failed records', async () => {
    world.sources.products = rows(5);
    const summary = await runFlow(basicFlow({ source: { failKeys: ['2'] } }), ctx);
    expect(summary.counts.failed).toBe(1);
    expect(summary.failures[0]).toEqual({ node: 'src', sourceNode: 'src', key: '2', error: 'unreadable row' });
    expect(summary.counts.created + summary.counts.filtered).toBe(4);
  });

  it('stops after N failures when the error policy says so', async () => {
    world.sources.products = rows(50);
    world.outcome = () => ({ status: 'failed', error: 'nope' });
    const flow = { ...basicFlow({ dest: { batchSize: 5 } }), errorPolicy: { mode: 'stop' as const, maxFailures: 3 } };
    const summary = await runFlow(flow, ctx, { pageSize: 5 });
    expect(summary.status).toBe('stopped');
    expect(summary.errorKind).toBe('policy');
    expect(summary.error).toBe('stopped after 3 failed records (error policy: stop after 3)');
    // The batch in flight settles completely: every record it held has its outcome.
    expect(summary.counts.failed).toBe(5);
    expect(summary.counts.failed + summary.counts.filtered).toBeLessThan(50);
  });

  it('rejects an invalid flow before running, naming file and path', async () => {
    const flow = basicFlow({ dest: { entity: 'invoices' } });
    await expect(runFlow(flow, ctx)).rejects.toThrow(ValidationError);
    await expect(runFlow(flow, ctx)).rejects.toThrow(
      'flows/products.flow.json: nodes[3].config.entity: expected one of customers, items, salesOrders',
    );
    expect(store.listRuns('ws1')).toHaveLength(0);
  });

  it('reports a connection failure as the run error', async () => {
    const summary = await runFlow(basicFlow({ source: { dataset: 'missing' } }), ctx);
    expect(summary.status).toBe('failed');
    expect(summary.errorKind).toBe('connection');
    expect(summary.error).toBe('dataset missing unreachable');
    expect(world.closed).toEqual([{ target: 'out', ok: false, dryRun: false }]);
  });
});

describe('runFlow streaming', () => {
  it('pulls a page only after the previous one went through (backpressure, bounded memory)', async () => {
    world.sources.products = rows(2000).map((r) => ({ ...r, status: 'active' }));
    let pulled = 0;
    let writtenRecords = 0;
    let maxAhead = 0;
    world.onPull = () => {
      pulled++;
      maxAhead = Math.max(maxAhead, pulled * 100 - writtenRecords);
    };
    world.beforeWrite = async () => {
      await new Promise((r) => setTimeout(r, 1));
    };
    world.outcome = () => {
      writtenRecords++;
      return { status: 'created' };
    };
    const summary = await runFlow(basicFlow({ dest: { batchSize: 50 } }), ctx, { pageSize: 100 });
    expect(summary.counts.created).toBe(2000);
    expect(pulled).toBe(20);
    // Never more than one page read ahead of what was written.
    expect(maxAhead).toBeLessThanOrEqual(100);
  });

  it('cancels promptly: stops pulling, closes destinations with ok=false', async () => {
    world.sources.products = rows(1000);
    const controller = new AbortController();
    let pulls = 0;
    world.onPull = () => {
      if (++pulls === 3) controller.abort();
    };
    const summary = await runFlow(basicFlow(), ctx, { pageSize: 10, signal: controller.signal });
    expect(summary.status).toBe('cancelled');
    expect(pulls).toBeLessThanOrEqual(4);
    expect(world.closed[0]).toMatchObject({ ok: false });
    expect(store.listRuns('ws1')[0]?.status).toBe('cancelled');
  });

  it('gives each fan-out branch its own copy', async () => {
    world.sources.products = rows(3);
    const flow = chainFlow('fan', [
      { id: 'src', kind: 'source', config: { dataset: 'products', key: 'id' } },
      { id: 'a', kind: 'destination', config: { target: 'a' } },
    ]);
    flow.nodes.push({
      id: 'b',
      kind: 'destination',
      type: 'memory',
      typeVersion: 1,
      position: { x: 0, y: 100 },
      config: { target: 'b' },
    });
    flow.edges.push({ from: { node: 'src', port: 'out' }, to: { node: 'b', port: 'in' } });
    world.outcome = (target, r) => {
      r.data.touchedBy = target;
      return { status: 'created' };
    };
    const summary = await runFlow(flow, ctx);
    expect(summary.counts.created).toBe(6);
    expect(world.written.a?.map((r) => r.touchedBy)).toEqual(['a', 'a', 'a']);
    expect(world.written.b?.map((r) => r.touchedBy)).toEqual(['b', 'b', 'b']);
  });

  it('routes rejected records to the filter\'s "rejected" output when connected', async () => {
    world.sources.products = rows(10);
    const flow = basicFlow();
    flow.nodes.push({
      id: 'rej',
      kind: 'destination',
      type: 'memory',
      typeVersion: 1,
      position: { x: 0, y: 100 },
      config: { target: 'rejected' },
    });
    flow.edges.push({ from: { node: 'active', port: 'rejected' }, to: { node: 'rej', port: 'in' } });
    const summary = await runFlow(flow, ctx);
    expect(summary.counts).toMatchObject({ created: 10, filtered: 0 });
    expect(world.written.rejected?.map((r) => r.number)).toEqual(['5', '10']);
    // Each output's own count, for the edges on the canvas.
    expect(summary.nodes.active?.ports).toEqual({ out: 8, rejected: 2 });
  });

  it('emits progress and finish events', async () => {
    world.sources.products = rows(30);
    const events: RunEvent[] = [];
    await runFlow(basicFlow(), ctx, { onEvent: (e) => events.push(e), progressIntervalMs: 0, pageSize: 10 });
    expect(events[0]?.type).toBe('run-started');
    expect(events.at(-1)?.type).toBe('run-finished');
    const last = events.filter((e) => e.type === 'progress').at(-1);
    expect(last?.type === 'progress' && last.nodes.src?.in).toBe(30);
  });
});

describe('runFlow dry run', () => {
  it('writes nothing, moves no watermark and reports what would happen', async () => {
    world.sources.products = rows(10);
    const flow = basicFlow({ source: { deltaField: 'updatedAt', ordered: true } });
    const summary = await runFlow(flow, ctx, { dryRun: true });
    expect(summary.dryRun).toBe(true);
    expect(summary.counts).toMatchObject({ created: 8, filtered: 2 });
    expect(world.written.out).toBeUndefined();
    expect(store.getWatermarks('ws1', 'products')).toEqual({});
    expect(world.closed).toEqual([{ target: 'out', ok: true, dryRun: true }]);
  });
});

describe('runFlow transactional destinations', () => {
  it('marks written records failed when a failing run discards the output', async () => {
    world.sources.products = rows(30);
    world.failWrite = (_t, n) => (n === 2 ? new ConnectionError('disk gone') : undefined);
    const summary = await runFlow(basicFlow({ dest: { transactional: true, batchSize: 5 } }), ctx, { pageSize: 5 });
    expect(summary.status).toBe('failed');
    expect(summary.counts.created).toBe(0);
    expect(summary.counts.failed).toBe(10);
    expect(world.written.out).toBeUndefined();
    expect(store.runOutcomes(summary.runId, { status: 'created' })).toHaveLength(0);
    expect(store.runOutcomes(summary.runId, { status: 'failed' })[0]?.message).toMatch(/discarded its output/);
  });
});
