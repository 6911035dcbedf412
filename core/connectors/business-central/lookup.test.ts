/**
 * Lookups on Business Central against the emulator: criteria batched into `or` filters within the URL limit, typed
 * literals, several fields with `$top=1`, the run's cache (counted on the emulator's side of a recording proxy), and
 * the connection's concurrency pool.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../engine/run-flow.js';
import { validateFlow } from '../../engine/validate-flow.js';
import { graphFlow } from '../../engine/testing/flow-builder.js';
import { createWorld } from '../../engine/testing/memory-connector.js';
import { connect } from './connect.js';
import { bcLookupConfigSchema } from './descriptor.js';
import { BC_DEMO, type BcEmulator, startBcEmulator } from './emulator/index.js';
import { createLookupRuntime } from './lookup.js';
import { bcContext, bcRunContext, fakeClock, recordingProxy } from './test-support.js';

const USA = BC_DEMO.companies.usa.id;
const signal = new AbortController().signal;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulator(customers = 20) {
  const bc = await startBcEmulator({ size: { customers } });
  const proxy = await recordingProxy(bc.url, true);
  cleanups.push(
    () => bc.close(),
    () => proxy.close(),
  );
  return { bc, proxy };
}

async function runtime(url: string, config: Record<string, unknown>) {
  const settings = { mode: 'online', tenant: BC_DEMO.tenantId, clientId: BC_DEMO.clientId, company: USA, authorityHost: url, apiHost: url }; // prettier-ignore
  const connected = await connect(bcContext(settings, { clientSecret: BC_DEMO.clientSecret }), { clock: fakeClock() });
  cleanups.push(() => connected.close());
  await connected.client.useCompany(USA, signal);
  return createLookupRuntime(connected.client, bcLookupConfigSchema.parse(config), async () => undefined);
}

const customerReads = (proxy: { exchanges: { url: string; method: string }[] }) =>
  proxy.exchanges.filter((e) => e.method === 'GET' && /\/customers\?/.test(e.url)).map((e) => decodeURIComponent(e.url)); // prettier-ignore

const row = (bc: BcEmulator, i: number) => bc.store.rows(USA, 'customers')[i]!.row;

describe('Business Central lookup', () => {
  it('asks for many values of one field in one request and matches the answers back, case aside', async () => {
    const { bc, proxy } = await emulator();
    const find = await runtime(proxy.url, { entity: 'customers', fields: ['number'] });
    const [a, b] = [row(bc, 0), row(bc, 1)];
    const found = await find.find(
      [{ email: String(a.email).toUpperCase() }, { email: 'nobody@example.com' }, { email: b.email }],
      signal,
    );
    // BC compares text without regard to case; the emulator is stricter, so the upper-cased one is not found there.
    expect(found.map((r) => r?.number)).toEqual([undefined, undefined, b.number]);
    const reads = customerReads(proxy);
    expect(reads).toHaveLength(1);
    expect(reads[0]).toContain(`$filter=(email eq '${String(a.email).toUpperCase()}' or email eq 'nobody@example.com' or email eq '${String(b.email)}')&`); // prettier-ignore
    expect(reads[0]).toContain('$select=number,email,id');
  });

  it('splits long value lists to stay within the URL limit', async () => {
    const { bc, proxy } = await emulator(300);
    const find = await runtime(proxy.url, { entity: 'customers' });
    const numbers = bc.store.rows(USA, 'customers').map((r) => String(r.row.number));
    const found = await find.find(
      numbers.map((number) => ({ number })),
      signal,
    );
    expect(found.map((r) => r?.number)).toEqual(numbers);
    const reads = customerReads(proxy);
    expect(reads.length).toBeGreaterThan(1);
    for (const url of reads) expect(encodeURIComponent(/\$filter=([^&]*)/.exec(url)![1]!).length).toBeLessThan(1600);
  });

  it('types literals by the field (a value the field cannot hold is not asked) and matches several fields', async () => {
    const { bc, proxy } = await emulator();
    const find = await runtime(proxy.url, { entity: 'customers' });
    const c = row(bc, 2);
    const found = await find.find(
      [{ creditLimit: 'lots' }, { number: c.number, displayName: c.displayName }, { id: 'not-a-guid' }, { id: c.id }],
      signal,
    );
    expect(found.map((r) => r?.number)).toEqual([undefined, c.number, undefined, c.number]);
    const reads = customerReads(proxy);
    expect(reads).toHaveLength(2);
    expect(reads).toContainEqual(expect.stringContaining(`$filter=number eq '${String(c.number)}' and displayName eq '${String(c.displayName)}'&$top=1`)); // prettier-ignore
    expect(reads).toContainEqual(expect.stringContaining(`$filter=(id eq ${String(c.id)})&`));
    await expect(find.find([{ mail: 'x' }], signal)).rejects.toThrow('customers has no field "mail" to look up by');
  });

  it('in a run, a value found once is not asked again; misses are asked per page', async () => {
    const { bc, proxy } = await emulator();
    const [a, b] = [String(row(bc, 0).email), String(row(bc, 1).email)];
    const world = createWorld({
      orders: [a, b, a, b, a, 'new@example.com', b, 'new@example.com'].map((email, i) => ({ id: `O${i}`, email })),
    });
    const { ctx, store } = await bcRunContext(world, proxy.url);
    cleanups.push(async () => store.close());
    const flow = graphFlow(
      'orders',
      [
        { id: 'src', kind: 'source', config: { dataset: 'orders', key: 'id' } },
        { id: 'customer', kind: 'lookup', type: 'business-central', config: { connection: 'bc', entity: 'customers', match: [{ field: 'email', expression: 'email' }], into: 'customer' } }, // prettier-ignore
        { id: 'known', kind: 'destination', config: { target: 'known' } },
        { id: 'unknown', kind: 'destination', config: { target: 'unknown' } },
      ],
      ['src -> customer', 'customer:found -> known', 'customer:notFound -> unknown'],
    );
    const summary = await runFlow(flow, ctx, { pageSize: 2 });
    expect(summary.status).toBe('succeeded');
    expect(world.written.known?.map((r) => (r.customer as { email: string }).email)).toEqual([a, b, a, b, a, b]);
    expect(world.written.unknown?.map((r) => r.id)).toEqual(['O5', 'O7']);
    // Page 1 asks for a and b together; page 2 asks nothing; pages 3 and 4 ask only for the miss.
    const reads = customerReads(proxy);
    expect(reads).toHaveLength(3);
    expect(reads.slice(1).every((u) => u.includes("$filter=(email eq 'new@example.com')&"))).toBe(true);
  });

  it('holds a slot of the connection’s pool for each request', async () => {
    const { bc, proxy } = await emulator();
    const world = createWorld({
      orders: bc.store.rows(USA, 'customers').map((r, i) => ({ id: `O${i}`, n: r.row.number, name: r.row.displayName })), // prettier-ignore
    });
    const { ctx, store } = await bcRunContext(world, proxy.url);
    cleanups.push(async () => store.close());
    const bcFile = { ...ctx.workspace.connections.get('bc')!, concurrency: { level: 1 } };
    ctx.workspace = { ...ctx.workspace, connections: new Map([['bc', bcFile]]) };
    const match = [
      { field: 'number', expression: 'n' },
      { field: 'displayName', expression: 'name' },
    ];
    const flow = graphFlow(
      'pooled',
      [
        { id: 'src', kind: 'source', config: { dataset: 'orders', key: 'id' } },
        { id: 'customer', kind: 'lookup', type: 'business-central', config: { connection: 'bc', entity: 'customers', match } }, // prettier-ignore
        { id: 'known', kind: 'destination', config: { target: 'known' } },
      ],
      ['src -> customer', 'customer:found -> known'],
    );
    const summary = await runFlow(flow, ctx);
    expect(summary.counts.created).toBe(20);
    expect(customerReads(proxy)).toHaveLength(20); // two fields: one request each
    expect(bc.stats.maxInFlight).toBe(1);
  });

  it('is validated before a run: a connection, a known entity, a match', async () => {
    const { ctx, store } = await bcRunContext(createWorld(), 'http://127.0.0.1:9');
    store.close();
    const flow = (config: Record<string, unknown>) =>
      graphFlow(
        'v',
        [
          { id: 'src', kind: 'source', config: { dataset: 'orders' } },
          { id: 'customer', kind: 'lookup', type: 'business-central', config },
          { id: 'known', kind: 'destination', config: { target: 'known' } },
        ],
        ['src -> customer', 'customer:found -> known', 'known:out -> known2'],
      );
    const problems = (config: Record<string, unknown>, connections = ctx.workspace.connections) =>
      validateFlow(flow(config), { registry: ctx.registry, connections, file: 'flows/v.flow.json' }).map(
        (p) => `${p.path}: ${p.message}`,
      );
    const match = [{ field: 'email', expression: 'email' }];
    expect(problems({ entity: 'customers', match }, new Map())).toEqual([
      'nodes[1].config.connection: required: no business-central connection exists in this workspace',
      'edges[2].to.node: unknown node "known2"',
    ]);
    expect(problems({ connection: 'bc', entity: 'customer', match: [] })).toEqual([
      'nodes[1].config.match: expected at least 1 item(s)',
      expect.stringMatching(/^nodes\[1\]\.config\.entity: expected one of /),
      'edges[2].to.node: unknown node "known2"',
    ]);
  });
});
