/**
 * Line lookups (every line of an order must be an item of the target) and the lookup as an existence check (an
 * unconnected found output: the record is already there and is skipped).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunStateStore } from '../store/run-state.js';
import { runFlow, type RunContext } from './run-flow.js';
import { graphFlow } from './testing/flow-builder.js';
import { type MemoryWorld, createWorld } from './testing/memory-connector.js';
import { memoryRunContext } from './testing/memory-run.js';
import { validateFlow } from './validate-flow.js';

let world: MemoryWorld;
let store: RunStateStore;
let ctx: RunContext;

beforeEach(() => {
  world = createWorld();
  ({ ctx, store } = memoryRunContext(world));
  world.tables.items = [
    { number: 'SKU-1', name: 'Cup' },
    { number: 'SKU-2', name: 'Kettle' },
  ];
});
afterEach(() => store.close());

const line = (sku: string | undefined, quantity = 1) => ({ sku, quantity });
const linesFlow = (lookup: Record<string, unknown> = {}, withNotFound = false) =>
  graphFlow(
    'orders',
    [
      { id: 'src', kind: 'source', config: { dataset: 'orders', key: 'id' } },
      {
        id: 'items',
        kind: 'lookup',
        config: { table: 'items', lines: 'lines', into: 'item', match: [{ field: 'number', expression: 'sku' }], ...lookup }, // prettier-ignore
      },
      { id: 'known', kind: 'destination', config: { target: 'known' } },
      ...(withNotFound ? [{ id: 'unknown', kind: 'destination' as const, config: { target: 'unknown' } }] : []),
    ],
    ['items:found -> known', 'src -> items', ...(withNotFound ? ['items:notFound -> unknown'] : [])],
  );

describe('line lookups', () => {
  it('finds every line in one request per page and hands each its match', async () => {
    world.sources.orders = [
      { id: 'O1', lines: [line('SKU-1', 2), line('SKU-2')] },
      { id: 'O2', lines: [line('SKU-2', 3)] },
      { id: 'O3', lines: [] },
    ];
    const summary = await runFlow(linesFlow(), ctx);
    expect(summary.counts).toMatchObject({ created: 3, failed: 0 });
    expect(world.finds).toEqual([[{ number: 'SKU-1' }, { number: 'SKU-2' }]]);
    expect(world.written.known).toEqual([
      {
        id: 'O1',
        lines: [
          { sku: 'SKU-1', quantity: 2, item: { number: 'SKU-1', name: 'Cup' } },
          { sku: 'SKU-2', quantity: 1, item: { number: 'SKU-2', name: 'Kettle' } },
        ],
      },
      { id: 'O2', lines: [{ sku: 'SKU-2', quantity: 3, item: { number: 'SKU-2', name: 'Kettle' } }] },
      { id: 'O3', lines: [] },
    ]);
    // The source record is not touched: $source still sees the lines as read.
    expect(world.sources.orders[0]!.lines).toEqual([line('SKU-1', 2), line('SKU-2')]);
  });

  it('fails an order with missing lines naming each missing value once, and remembers found ones across pages', async () => {
    world.sources.orders = [
      { id: 'O1', lines: [line('SKU-1'), line('SKU-9'), line('SKU-7'), line('SKU-9')] },
      { id: 'O2', lines: [line('SKU-1')] },
    ];
    const summary = await runFlow(linesFlow(), ctx, { pageSize: 1 });
    expect(summary.failures).toEqual([
      { node: 'items', sourceNode: 'src', key: 'O1', error: 'records not in Memory (tests): SKU-9, SKU-7' },
    ]);
    expect(world.written.known).toEqual([{ id: 'O2', lines: [{ ...line('SKU-1'), item: world.tables.items![0] }] }]);
    // Page 2's SKU-1 came from the cache; misses are asked again on a later page.
    expect(world.finds).toEqual([[{ number: 'SKU-1' }, { number: 'SKU-9' }, { number: 'SKU-7' }]]);
  });

  it('sends an order with missing lines to notFound when told, unchanged', async () => {
    world.sources.orders = [{ id: 'O1', lines: [line('SKU-9')] }];
    const summary = await runFlow(linesFlow({ whenLineMissing: 'notFound' }, true), ctx);
    expect(summary.counts).toMatchObject({ created: 1, failed: 0 });
    expect(world.written.unknown).toEqual([{ id: 'O1', lines: [line('SKU-9')] }]);
  });

  it('fails a line without a value (or names it "(empty)" with whenEmpty notFound) and lines that are no list', async () => {
    world.sources.orders = [
      { id: 'O1', lines: [line('SKU-1'), line(undefined)] },
      { id: 'O2', lines: 'SKU-1' },
    ];
    const failing = await runFlow(linesFlow(), ctx);
    expect(failing.failures.map((f) => `${f.key}: ${f.error}`)).toEqual([
      'O1: lookup: match number: sku gave no value to look up (line 2)',
      'O2: lookup: lines: lines is not a list',
    ]);
    world.sources.orders = [{ id: 'O1', lines: [line('SKU-1'), line(undefined)] }];
    const empty = await runFlow(linesFlow({ whenEmpty: 'notFound' }), ctx);
    expect(empty.failures.map((f) => f.error)).toEqual(['records not in Memory (tests): (empty)']);
  });
});

describe('a lookup as an existence check', () => {
  const existsFlow = () =>
    graphFlow(
      'orders',
      [
        { id: 'src', kind: 'source', config: { dataset: 'orders', key: 'id' } },
        { id: 'exists', kind: 'lookup', config: { table: 'items', match: [{ field: 'number', expression: 'id' }] } },
        { id: 'new', kind: 'destination', config: { target: 'new' } },
      ],
      ['src -> exists', 'exists:notFound -> new'],
    );

  it('ends found records "skipped" "already exists" when nothing is connected to found', async () => {
    world.sources.orders = [{ id: 'SKU-1' }, { id: 'N-1' }];
    const summary = await runFlow(existsFlow(), ctx);
    expect(summary.counts).toMatchObject({ created: 1, skipped: 1, failed: 0 });
    expect(summary.nodes.exists).toMatchObject({ in: 2, out: 1, ports: { found: 1, notFound: 1 } });
    expect(world.written.new).toEqual([{ id: 'N-1' }]);
    const skipped = store.runOutcomes(summary.runId).find((r) => r.status === 'skipped');
    expect(skipped).toMatchObject({ nodeId: 'exists', sourceKey: 'SKU-1', message: 'already exists' });
  });

  it('needs one of its outputs connected', () => {
    const flow = existsFlow();
    flow.edges = flow.edges.filter((e) => e.from.node !== 'exists');
    const problems = validateFlow(flow, { registry: ctx.registry, connections: new Map() }).map(
      (p) => `${p.path}: ${p.message}`,
    );
    expect(problems).toEqual([
      'nodes[1]: lookup "exists" has neither "found" nor "notFound" connected: every record would end here',
      'nodes[2]: input "in" of "new" is not connected',
    ]);
  });
});
