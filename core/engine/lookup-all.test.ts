import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '../connectors/registry.js';
import type { Connector, LookupRuntime } from '../connectors/types.js';
import type { LookupEngineConfig } from '../model/lookup.js';
import type { RunStateStore } from '../store/run-state.js';
import { LookupNode } from './lookup-node.js';
import type { FlowRecord } from './record.js';
import { runFlow, type RunContext } from './run-flow.js';
import { graphFlow } from './testing/flow-builder.js';
import { type MemoryWorld, createWorld, memoryConnector } from './testing/memory-connector.js';
import { memoryRunContext } from './testing/memory-run.js';
import { validateFlow } from './validate-flow.js';

/** Lookups with `matches: 'all'`: every match as a list under `into`, every record on found. */
let world: MemoryWorld;
let store: RunStateStore;
let ctx: RunContext;

beforeEach(() => {
  world = createWorld();
  ({ ctx, store } = memoryRunContext(world));
  world.tables.orderLines = [
    { item: 'A', quantity: 3 },
    { item: 'B', quantity: 1 },
    { item: 'A', quantity: 2 },
  ];
});
afterEach(() => store.close());

const itemsFlow = (lookup: Record<string, unknown> = {}) =>
  graphFlow(
    'stock',
    [
      { id: 'src', kind: 'source', config: { dataset: 'items', key: 'number' } },
      {
        id: 'lines',
        kind: 'lookup',
        config: { table: 'orderLines', match: [{ field: 'item', expression: 'number' }], into: 'lines', matches: 'all', ...lookup }, // prettier-ignore
      },
      { id: 'reserved', kind: 'map', config: { fields: [{ target: 'number', expression: 'number' }, { target: 'reserved', expression: '$sum([lines.quantity])' }] } }, // prettier-ignore
      { id: 'out', kind: 'destination', config: { target: 'stock' } },
    ],
    ['src -> lines', 'lines:found -> reserved', 'reserved -> out'],
  );

const config = (over: Partial<LookupEngineConfig> = {}): LookupEngineConfig => ({
  match: [{ field: 'n', expression: 'n' }],
  into: 'm',
  whenEmpty: 'fail',
  whenLineMissing: 'fail',
  matches: 'all',
  ...over,
});
const rec = (n: number | null): FlowRecord => ({ data: { n }, source: { n }, lineage: { node: 's', key: String(n), page: 0 } }); // prettier-ignore
const signal = new AbortController().signal;

describe('lookup node, every match', () => {
  it('gives each record the list of its matches, empty when none, and sends every record on found', async () => {
    world.sources.items = [{ number: 'A' }, { number: 'B' }, { number: 'C' }];
    const summary = await runFlow(itemsFlow(), ctx);
    expect(summary.status).toBe('succeeded');
    expect(world.written.stock).toEqual([
      { number: 'A', reserved: 5 },
      { number: 'B', reserved: 1 },
      { number: 'C', reserved: 0 },
    ]);
    // One findAll for the page's three distinct values.
    expect(world.finds).toEqual([[{ item: 'A' }, { item: 'B' }, { item: 'C' }]]);
  });

  it('keeps the lists in the run cache, but not empty ones, bounded by the records they hold', async () => {
    const asked: unknown[][] = [];
    const runtime: LookupRuntime = {
      find: async () => [],
      // n matches: n records (0 → none).
      findAll: async (c) => (asked.push(c.map((x) => x.n)), c.map((x) => Array.from({ length: Number(x.n) }, (_, i) => ({ i })))), // prettier-ignore
    };
    const node = new LookupNode(config(), runtime, 4);
    const first = await node.run([rec(0), rec(2), rec(2), rec(1)], signal);
    expect(first.found.map((r) => (r.data.m as unknown[]).length)).toEqual([0, 2, 2, 1]);
    expect(first.notFound).toEqual([]);
    // 2 and 1 are cached (3 records of 4); 0 (empty) is asked again; 3 brings the total to 6: the eldest, 2, goes.
    await node.run([rec(0), rec(2), rec(1), rec(3)], signal);
    await node.run([rec(2), rec(3)], signal);
    expect(asked).toEqual([[0, 2, 1], [0, 3], [2]]);
    expect(node.counts).toMatchObject({ asked: 6, cached: 3, found: 10, notFound: 0 });
  });

  it('still fails or sends on to not found a record with nothing to look up (whenEmpty)', async () => {
    const runtime: LookupRuntime = { find: async () => [], findAll: async (c) => c.map(() => []) };
    const failing = await new LookupNode(config(), runtime).run([rec(null)], signal);
    expect(failing.failed).toEqual([{ record: rec(null), error: 'lookup: match n: n gave no value to look up' }]);
    const routed = await new LookupNode(config({ whenEmpty: 'notFound' }), runtime).run([rec(null)], signal);
    expect(routed.notFound).toEqual([rec(null)]);
  });

  it('refuses a runtime without findAll, and lines, when opened', () => {
    expect(() => new LookupNode(config(), { find: async () => [] })).toThrow(/cannot look up every match/);
    const runtime: LookupRuntime = { find: async () => [], findAll: async () => [] };
    expect(() => new LookupNode(config({ lines: 'lines' }), runtime)).toThrow(/does not combine with lines/);
  });

  it('is refused by validation on a connector without findAll and with lines, naming the node', () => {
    const problems = (flow: ReturnType<typeof itemsFlow>, registry = ctx.registry) =>
      validateFlow(flow, { registry, connections: new Map(), file: 'flows/stock.flow.json' }).map(
        (p) => `${p.path}: ${p.message}`,
      );
    expect(problems(itemsFlow())).toEqual([]);
    expect(problems(itemsFlow({ lines: 'lines' }))).toEqual([
      'nodes[1].config.matches: lookup "lines": "all" does not combine with lines; use "first"',
    ]);
    const memory = memoryConnector(world);
    const firstOnly: Connector = { ...memory, lookup: { ...memory.lookup!, findsAll: false } };
    expect(problems(itemsFlow(), new ConnectorRegistry([firstOnly]))).toEqual([
      'nodes[1].config.matches: lookup "lines": connector "memory" cannot look up every match; use "first"',
    ]);
    expect(problems(itemsFlow({ matches: 'some' }))).toEqual([expect.stringMatching(/^nodes\[1\]\.config\.matches: /)]);
  });
});
