import { describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '../connectors/registry.js';
import type { RunEvent } from '../model/run.js';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { RunStateStore } from '../store/run-state.js';
import { runFlow } from './run-flow.js';
import { chainFlow } from './testing/flow-builder.js';
import { createWorld, memoryConnector } from './testing/memory-connector.js';

describe('run previews', () => {
  it('keeps the first N records into and out of every node, with destination outcomes, in run state', async () => {
    const world = createWorld({
      items: Array.from({ length: 50 }, (_, i) => ({ id: String(i + 1), qty: i % 3 })),
    });
    world.outcome = (_t, r) =>
      r.data.id === '2'
        ? { status: 'failed', error: 'HTTP 400: qty too low' }
        : { status: 'created', targetKey: `T${String(r.data.id)}` };
    const store = new RunStateStore(':memory:');
    const events: RunEvent[] = [];
    const flow = chainFlow('items', [
      { id: 'src', kind: 'source', config: { dataset: 'items', key: 'id' } },
      {
        id: 'map',
        kind: 'map',
        config: {
          fields: [
            { target: 'id', expression: 'id' },
            { target: 'double', expression: 'qty * 2' },
          ],
        },
      },
      { id: 'keep', kind: 'filter', config: { expression: '$source.qty > 0' } },
      { id: 'dst', kind: 'destination', config: { target: 'out' } },
    ]);
    const summary = await runFlow(
      flow,
      {
        workspace: { dir: '/nonexistent', workspaceId: 'ws', connections: new Map() },
        registry: new ConnectorRegistry([memoryConnector(world)]),
        secrets: new MemorySecretStore(),
        runState: store,
      },
      { previewLimit: 5, pageSize: 7, onEvent: (e) => events.push(e) },
    );
    const previews = store.getPreviews(summary.runId);
    // The same previews reach the UI as the event just before run-finished.
    expect(events.map((e) => e.type).slice(-2)).toEqual(['node-previews', 'run-finished']);
    expect(events.at(-2)).toEqual({ type: 'node-previews', runId: summary.runId, previews });
    expect(previews.src).toEqual({ in: [], out: [1, 2, 3, 4, 5].map((n) => ({ id: String(n), qty: (n - 1) % 3 })) });
    expect(previews.map!.in).toHaveLength(5);
    expect(previews.map!.out[0]).toEqual({ id: '1', double: 0 });
    // the filter drops qty 0 (ids 1, 4, 7, ...)
    expect(previews.keep!.out.map((r) => (r as { id: string }).id)).toEqual(['2', '3', '5', '6', '8']);
    // ... and says which rule stopped each record it dropped
    expect(previews.keep!.rejected?.slice(0, 2)).toEqual([
      { record: { id: '1', double: 0 }, reason: 'filter: $source.qty > 0 is false' },
      { record: { id: '4', double: 0 }, reason: 'filter: $source.qty > 0 is false' },
    ]);
    expect(previews.keep!.rejected).toHaveLength(5);
    expect(previews.dst!.out[0]).toEqual({
      '@outcome': 'failed',
      '@detail': 'HTTP 400: qty too low',
      id: '2',
      double: 2,
    });
    expect(previews.dst!.out[1]).toEqual({ '@outcome': 'created', '@key': 'T3', id: '3', double: 4 });
    store.close();
  });

  it('keeps nothing when previews are off', async () => {
    const store = new RunStateStore(':memory:');
    const world = createWorld({ items: [{ id: '1' }] });
    const flow = chainFlow('items', [
      { id: 'src', kind: 'source', config: { dataset: 'items', key: 'id' } },
      { id: 'dst', kind: 'destination', config: { target: 'out' } },
    ]);
    const summary = await runFlow(flow, {
      workspace: { dir: '/nonexistent', workspaceId: 'ws', connections: new Map() },
      registry: new ConnectorRegistry([memoryConnector(world)]),
      secrets: new MemorySecretStore(),
      runState: store,
    });
    expect(store.getPreviews(summary.runId)).toEqual({});
    store.close();
  });
});
