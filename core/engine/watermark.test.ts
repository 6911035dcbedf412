import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '../connectors/registry.js';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { RunStateStore } from '../store/run-state.js';
import { runFlow, type RunContext } from './run-flow.js';
import { chainFlow } from './testing/flow-builder.js';
import { type MemoryWorld, createWorld, memoryConnector } from './testing/memory-connector.js';
import { WatermarkTracker } from './watermark-tracker.js';

/** Timestamps with deliberate ties across page boundaries: t(3) is shared by records 5..8. */
const ts = (i: number) => `2026-03-01T10:00:${String(i).padStart(2, '0')}Z`;
const tied = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: String(i + 1), t: ts(i < 4 ? i : i < 8 ? 3 : i) }));

let world: MemoryWorld;
let store: RunStateStore;
let ctx: RunContext;
beforeEach(() => {
  world = createWorld();
  store = new RunStateStore(':memory:');
  ctx = {
    workspace: { dir: '/x', workspaceId: 'ws', connections: new Map() },
    registry: new ConnectorRegistry([memoryConnector(world)]),
    secrets: new MemorySecretStore(),
    runState: store,
  };
});
afterEach(() => store.close());

const flow = (ordered: boolean, batchSize = 3) =>
  chainFlow('sync', [
    { id: 'src', kind: 'source', config: { dataset: 'd', key: 'id', deltaField: 't', ordered } },
    { id: 'dst', kind: 'destination', config: { target: 'out', batchSize } },
  ]);

describe('WatermarkTracker', () => {
  it('claims nothing for an unordered source until it is exhausted and complete', () => {
    const t = new WatermarkTracker(false);
    t.beginPage(0, [ts(5), ts(1)]);
    t.pageDelivered(0);
    expect(t.safeWatermark()).toBeUndefined();
    t.markExhausted();
    expect(t.safeWatermark()).toBe(ts(5));
  });

  it('stays strictly below a value an unread record may share', () => {
    const t = new WatermarkTracker(true);
    t.beginPage(0, [ts(1), ts(2), ts(3)]);
    t.pageDelivered(0);
    expect(t.safeWatermark()).toBe(ts(2));
    t.beginPage(1, [ts(3), ts(4)]);
    expect(t.safeWatermark()).toBe(ts(2));
    t.addPending(1);
    t.pageDelivered(1);
    expect(t.safeWatermark()).toBe(ts(2));
    t.resolvePending(1);
    expect(t.safeWatermark()).toBe(ts(3));
    t.markExhausted();
    expect(t.safeWatermark()).toBe(ts(4));
  });

  it('does not advance past a page with pending records even when later pages finish', () => {
    const t = new WatermarkTracker(true);
    t.beginPage(0, [ts(1)]);
    t.addPending(0);
    t.pageDelivered(0);
    t.beginPage(1, [ts(2)]);
    t.pageDelivered(1);
    t.beginPage(2, [ts(3)]);
    expect(t.safeWatermark()).toBeUndefined();
    t.resolvePending(0);
    expect(t.safeWatermark()).toBe(ts(2));
  });
});

describe('incremental runs', () => {
  it('reads only records changed after the stored watermark', async () => {
    world.sources.d = tied(10);
    const first = await runFlow(flow(true), ctx);
    expect(first.counts.created).toBe(10);
    expect(store.getWatermarks('ws', 'sync')).toEqual({ src: ts(9) });
    world.sources.d.push({ id: '11', t: ts(20) }, { id: '3', t: ts(21) });
    const second = await runFlow(flow(true), ctx);
    expect(second.counts.created).toBe(2);
    expect(world.written.out?.slice(10).map((r) => r.id)).toEqual(['11', '3']);
    const third = await runFlow(flow(true), ctx);
    expect(third.counts.created).toBe(0);
  });

  it('--since overrides the stored watermark (backdating)', async () => {
    world.sources.d = tied(10);
    await runFlow(flow(true), ctx);
    const again = await runFlow(flow(true), ctx, { since: ts(7) });
    expect(again.counts.created).toBe(2);
    expect(store.getWatermarks('ws', 'sync')).toEqual({ src: ts(9) });
  });

  for (const ordered of [true, false]) {
    it(`never skips a record after a crash mid-run (${ordered ? 'ordered' : 'unordered'} source)`, async () => {
      world.sources.d = tied(20);
      let crashAt = 3;
      world.failWrite = (_t, n) => (n === crashAt ? new Error('simulated crash') : undefined);
      const crashed = await runFlow(flow(ordered), ctx, { pageSize: 2 });
      expect(crashed.status).toBe('failed');
      const written = new Set(world.written.out?.map((r) => r.id));
      expect(written.size).toBe(9);
      const mark = store.getWatermarks('ws', 'sync').src;
      // The watermark is strictly below every record that did not reach an outcome.
      for (const r of world.sources.d.filter((r) => !written.has(r.id))) {
        if (mark !== undefined) expect(mark < String(r.t)).toBe(true);
      }
      if (!ordered) expect(mark).toBeUndefined();
      crashAt = -1;
      const resumed = await runFlow(flow(ordered), ctx, { pageSize: 2 });
      expect(resumed.status).toBe('succeeded');
      const all = new Set(world.written.out?.map((r) => r.id));
      expect(all.size).toBe(20);
      expect(store.getWatermarks('ws', 'sync').src).toBe(ts(19));
    });
  }

  it('a cancelled run keeps the watermark below every unfinished record', async () => {
    world.sources.d = tied(20);
    const controller = new AbortController();
    world.beforeWrite = async (_t, n) => {
      if (n === 2) controller.abort();
    };
    const summary = await runFlow(flow(true, 2), ctx, { pageSize: 2, signal: controller.signal });
    expect(summary.status).toBe('cancelled');
    const written = new Set(world.written.out?.map((r) => r.id));
    const mark = store.getWatermarks('ws', 'sync').src;
    for (const r of world.sources.d.filter((r) => !written.has(r.id)))
      if (mark !== undefined) expect(mark < String(r.t)).toBe(true);
  });
});
