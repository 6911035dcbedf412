import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConnectorRegistry } from '../connectors/registry.js';
import type { Connector } from '../connectors/types.js';
import type { RunEvent } from '../model/run.js';
import type { RunStateStore } from '../store/run-state.js';
import { runFlow, type RunContext } from './run-flow.js';
import { graphFlow } from './testing/flow-builder.js';
import { type MemoryWorld, createWorld, memoryConnector } from './testing/memory-connector.js';
import { memoryRunContext } from './testing/memory-run.js';
import { validateFlow } from './validate-flow.js';

let world: MemoryWorld;
let store: RunStateStore;
let ctx: RunContext;

beforeEach(() => {
  world = createWorld();
  ({ ctx, store } = memoryRunContext(world));
});
afterEach(() => store.close());

const orders = (emails: string[]) => emails.map((email, i) => ({ id: `O${i + 1}`, email, total: (i + 1) * 10 }));

const lookupFlow = (lookup: Record<string, unknown> = {}, withNotFound = true) =>
  graphFlow(
    'orders',
    [
      { id: 'src', kind: 'source', config: { dataset: 'orders', key: 'id' } },
      {
        id: 'customer',
        kind: 'lookup',
        config: { table: 'customers', match: [{ field: 'eMail', expression: '$lowercase(email)' }], ...lookup },
      },
      { id: 'known', kind: 'destination', config: { target: 'known' } },
      ...(withNotFound ? [{ id: 'unknown', kind: 'destination' as const, config: { target: 'unknown' } }] : []),
    ],
    ['src -> customer', 'customer:found -> known', ...(withNotFound ? ['customer:notFound -> unknown'] : [])],
  );

describe('lookup node', () => {
  beforeEach(() => {
    world.tables.customers = [
      { number: 'C1', eMail: 'ann@example.com' },
      { number: 'C2', eMail: 'bob@example.com' },
    ];
  });

  it('routes found records enriched with the match and not found ones unchanged', async () => {
    world.sources.orders = orders(['Ann@example.com', 'zed@example.com', 'bob@example.com']);
    const events: RunEvent[] = [];
    const summary = await runFlow(lookupFlow({ into: 'customer' }), ctx, {
      previewLimit: 5,
      onEvent: (e) => events.push(e),
    });
    expect(summary.status).toBe('succeeded');
    expect(world.written.known).toEqual([
      { id: 'O1', email: 'Ann@example.com', total: 10, customer: { number: 'C1', eMail: 'ann@example.com' } },
      { id: 'O3', email: 'bob@example.com', total: 30, customer: { number: 'C2', eMail: 'bob@example.com' } },
    ]);
    expect(world.written.unknown).toEqual([{ id: 'O2', email: 'zed@example.com', total: 20 }]);
    // Each output's own count, for the canvas's edge labels.
    expect(summary.nodes.customer).toMatchObject({ in: 3, out: 3, failed: 0, ports: { found: 2, notFound: 1 } });
    expect(summary.counts.created).toBe(3);
    const previews = events.find((e) => e.type === 'node-previews');
    expect(previews?.type === 'node-previews' && previews.previews.customer?.out).toEqual([
      { id: 'O1', email: 'Ann@example.com', total: 10, customer: { number: 'C1', eMail: 'ann@example.com' } },
      { id: 'O3', email: 'bob@example.com', total: 30, customer: { number: 'C2', eMail: 'bob@example.com' } },
      { '@port': 'notFound', id: 'O2', email: 'zed@example.com', total: 20 },
    ]);
    expect(world.lookupsClosed).toEqual(['customers']);
  });

  it('asks once per distinct value and page, and remembers found matches for the rest of the run', async () => {
    world.sources.orders = orders(['ann@example.com', 'ANN@example.com', 'new@example.com', 'bob@example.com']);
    world.sources.orders.push(...orders(['ann@example.com', 'new@example.com', 'bob@example.com']));
    await runFlow(lookupFlow(), ctx, { pageSize: 4 });
    // Page 1: three distinct values in one call. Page 2: ann and bob come from the cache; the miss is asked again
    // (a flow may have created it meanwhile).
    expect(world.finds).toEqual([
      [{ eMail: 'ann@example.com' }, { eMail: 'new@example.com' }, { eMail: 'bob@example.com' }],
      [{ eMail: 'new@example.com' }],
    ]);
    expect(world.written.known).toHaveLength(5);
    expect(world.written.known?.[0]).toMatchObject({ match: { number: 'C1' } });
  });

  it('keeps only so many matches: an evicted one is asked again', async () => {
    const { LookupNode } = await import('./lookup-node.js');
    const asked: unknown[][] = [];
    const node = new LookupNode(
      {
        match: [{ field: 'n', expression: 'n' }],
        into: 'm',
        whenEmpty: 'fail',
        whenLineMissing: 'fail',
        matches: 'first',
      },
      { find: async (c) => (asked.push(c.map((x) => x.n)), c.map((x) => ({ n: x.n }))) },
      2,
    );
    const rec = (n: number) => ({ data: { n }, source: { n }, lineage: { node: 's', key: String(n), page: 0 } });
    const signal = new AbortController().signal;
    await node.run([rec(1), rec(2), rec(3)], signal); // 1 is evicted by 3
    await node.run([rec(3), rec(2), rec(1)], signal);
    expect(asked).toEqual([[1, 2, 3], [1]]);
    expect(node.counts).toEqual({ asked: 4, cached: 2, found: 6, notFound: 0 });
  });

  it('ends not found records "skipped" when nothing is connected to notFound', async () => {
    world.sources.orders = orders(['ann@example.com', 'zed@example.com']);
    const summary = await runFlow(lookupFlow({}, false), ctx);
    expect(summary.counts).toMatchObject({ created: 1, skipped: 1, failed: 0 });
    const rows = store.runOutcomes(summary.runId);
    expect(rows.find((r) => r.status === 'skipped')).toMatchObject({
      nodeId: 'customer',
      sourceKey: 'O2',
      message: 'not found',
    });
  });

  it('fails a record whose match value is empty, or sends it to notFound when told', async () => {
    world.sources.orders = [...orders(['ann@example.com']), { id: 'O9', total: 5 }];
    const failing = await runFlow(lookupFlow(), ctx);
    expect(failing.failures).toEqual([
      {
        node: 'customer',
        sourceNode: 'src',
        key: 'O9',
        error: 'lookup: match eMail: $lowercase(email) gave no value to look up',
      },
    ]);
    world.written = {};
    const lenient = await runFlow(lookupFlow({ whenEmpty: 'notFound' }), ctx);
    expect(lenient.counts.failed).toBe(0);
    expect(world.written.unknown).toEqual([{ id: 'O9', total: 5 }]);
    // Nothing to ask for the empty one.
    expect(world.finds.at(-1)).toEqual([{ eMail: 'ann@example.com' }]);
  });

  it('fails a record whose expression fails or gives more than one value', async () => {
    world.sources.orders = [
      { id: 'O1', email: ['a@x', 'b@x'] },
      { id: 'O2', email: 'ann@example.com' },
    ];
    const summary = await runFlow(lookupFlow({ match: [{ field: 'eMail', expression: 'email' }] }), ctx);
    expect(summary.failures.map((f) => f.error)).toEqual([
      'lookup: match eMail: email gave a list, expected one value',
    ]);
    expect(world.written.known).toHaveLength(1);
  });

  it('matches on several fields at once', async () => {
    world.tables.customers!.push({ number: 'C3', eMail: 'ann@example.com', country: 'DE' });
    world.sources.orders = [{ id: 'O1', email: 'ann@example.com', country: 'DE' }];
    const match = [
      { field: 'eMail', expression: 'email' },
      { field: 'country', expression: 'country' },
    ];
    await runFlow(lookupFlow({ match }), ctx);
    expect(world.finds).toEqual([[{ eMail: 'ann@example.com', country: 'DE' }]]);
    expect(world.written.known?.[0]).toMatchObject({ match: { number: 'C3' } });
  });
});

describe('lookup validation', () => {
  const problems = (flow: ReturnType<typeof lookupFlow>, registry = ctx.registry) =>
    validateFlow(flow, { registry, connections: new Map(), file: 'flows/orders.flow.json' }).map(
      (p) => `${p.path}: ${p.message}`,
    );

  it('needs a match and expressions that compile; found may stay unconnected (an existence check)', () => {
    expect(problems(lookupFlow({ match: [] }))).toEqual(['nodes[1].config.match: expected at least 1 item(s)']);
    expect(problems(lookupFlow({ match: [{ field: 'eMail', expression: 'email = ' }] }))).toEqual([
      expect.stringMatching(/^nodes\[1\]\.config\.match\[0\]\.expression: /),
    ]);
    expect(problems(lookupFlow({ match: [{ field: '', expression: 'email' }], into: '' }))).toEqual([
      'nodes[1].config.match[0].field: must not be empty',
      'nodes[1].config.into: must not be empty',
    ]);
    // Every row's problems at once: an expression is compiled while another field of its row is still empty.
    expect(problems(lookupFlow({ match: [{ field: '', expression: 'email = ' }, { field: 'eMail' }] }))).toEqual([
      'nodes[1].config.match[0].field: must not be empty',
      'nodes[1].config.match[1].expression: required: expected string',
      expect.stringMatching(/^nodes\[1\]\.config\.match\[0\]\.expression: /),
    ]);
    const flow = lookupFlow();
    flow.edges = flow.edges.filter((e) => e.from.port !== 'found');
    expect(problems(flow)).toEqual(['nodes[2]: input "in" of "known" is not connected']);
    expect(problems(lookupFlow({}, false))).toEqual([]);
  });

  it('checks the connector’s own lookup settings and that it can look up at all', () => {
    expect(problems(lookupFlow({ table: 7 }))).toEqual(['nodes[1].config.table: expected string, got number 7']);
    const memory = memoryConnector(world);
    const writeOnly: Connector = { ...memory, lookup: undefined };
    expect(problems(lookupFlow(), new ConnectorRegistry([writeOnly]))).toEqual([
      'nodes[1].kind: connector "memory" cannot be used as a lookup',
    ]);
  });
});
