import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { httpConnector } from '../connectors/http/index.js';
import { closeAllServers, json, startServer } from '../connectors/http/test-support.js';
import { ConnectorRegistry } from '../connectors/registry.js';
import type { ConnectionFile } from '../model/connection.js';
import { ValidationError } from '../model/validation-error.js';
import { MemorySecretStore } from '../secrets/secret-store.js';
import { ConcurrencyPools, Semaphore, concurrencyLevel, processPools } from './concurrency-pools.js';
import { type RunContext, runFlow } from './run-flow.js';
import { chainFlow } from './testing/flow-builder.js';
import { createWorld, memoryConnector } from './testing/memory-connector.js';

afterEach(closeAllServers);

describe('Semaphore', () => {
  it('grants up to the limit, queues the rest in order, and a waiter can be aborted', async () => {
    const pool = new Semaphore(2);
    const a = await pool.acquire();
    await pool.acquire();
    const order: string[] = [];
    const c = pool.acquire().then((release) => (order.push('c'), release));
    const abort = new AbortController();
    const d = pool.acquire(abort.signal);
    const e = pool.acquire().then((release) => (order.push('e'), release));
    abort.abort(new Error('cancelled'));
    await expect(d).rejects.toThrow('cancelled');
    a();
    a(); // a second release of the same slot is ignored
    await c;
    expect(order).toEqual(['c']);
    expect(pool.inFlight).toBe(2);
    (await c)();
    await e;
    expect(order).toEqual(['c', 'e']);
    expect(pool.peak).toBe(2);
  });

  it('a raised limit lets waiters in at once', async () => {
    const pool = new Semaphore(1);
    await pool.acquire();
    const waiting = pool.acquire();
    pool.setLimit(2);
    await waiting;
    expect(pool.inFlight).toBe(2);
  });
});

/** A server that holds every request for a moment and notes how many were in flight at once. */
async function countingServer() {
  const state = { inFlight: 0, max: 0, total: 0 };
  const server = await startServer(async (_req, res) => {
    state.inFlight++;
    state.total++;
    state.max = Math.max(state.max, state.inFlight);
    await new Promise((resolve) => setTimeout(resolve, 15));
    state.inFlight--;
    json(res, 201, { id: state.total });
  });
  return { server, state };
}

function connection(id: string, baseUrl: string, concurrency?: ConnectionFile['concurrency']): ConnectionFile {
  return { schemaVersion: 1, id, name: id, connector: 'http', settings: { baseUrl }, concurrency };
}

const rows = Array.from({ length: 40 }, (_, i) => ({ id: String(i + 1), name: `item ${i + 1}` }));

function setup(connections: ConnectionFile[]) {
  const world = createWorld({ items: rows });
  const ctx: RunContext = {
    // A fresh workspace id: the process-wide pools of other tests never meet these.
    workspace: {
      dir: '/nonexistent',
      workspaceId: randomUUID(),
      connections: new Map(connections.map((c) => [c.id, c])),
    },
    registry: new ConnectorRegistry([memoryConnector(world), httpConnector]),
    secrets: new MemorySecretStore(),
  };
  const flow = (id: string, connectionId: string) =>
    chainFlow(id, [
      { id: 'src', kind: 'source', config: { dataset: 'items', key: 'id' } },
      {
        id: 'out',
        kind: 'destination',
        type: 'http',
        config: { connection: connectionId, path: '/items', batchSize: 40 },
      },
    ]);
  return { ctx, flow };
}

describe('concurrency pools across flows', () => {
  it('two flows on one connection with level 3 never have more than 3 requests in flight together', async () => {
    const { server, state } = await countingServer();
    const { ctx, flow } = setup([connection('api', server.url, { level: 3 })]);
    const [a, b] = await Promise.all([runFlow(flow('a', 'api'), ctx), runFlow(flow('b', 'api'), ctx)]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    expect(state.total).toBe(80);
    expect(state.max).toBe(3);
    expect(processPools.get(ctx.workspace.workspaceId, 'api')?.peak).toBe(3);
  });

  it('a connection that borrows shares the lender’s pool (and level)', async () => {
    const { server, state } = await countingServer();
    const { ctx, flow } = setup([
      connection('erp', server.url, { level: 2 }),
      connection('erp-reports', server.url, { level: 10, borrowFrom: 'erp' }),
    ]);
    await Promise.all([runFlow(flow('a', 'erp'), ctx), runFlow(flow('b', 'erp-reports'), ctx)]);
    expect(state.total).toBe(80);
    expect(state.max).toBe(2);
  });

  it('without borrowing each connection has its own pool (the control for the two tests above)', async () => {
    const { server, state } = await countingServer();
    const { ctx, flow } = setup([
      connection('one', server.url, { level: 2 }),
      connection('two', server.url, { level: 2 }),
    ]);
    await Promise.all([runFlow(flow('a', 'one'), ctx), runFlow(flow('b', 'two'), ctx)]);
    expect(state.max).toBe(4);
  });

  it('an injected registry isolates pools (tests, a second host in one process)', async () => {
    const { server, state } = await countingServer();
    const { ctx, flow } = setup([connection('api', server.url, { level: 1 })]);
    const pools = new ConcurrencyPools();
    await Promise.all([runFlow(flow('a', 'api'), { ...ctx, pools }), runFlow(flow('b', 'api'), { ...ctx, pools })]);
    expect(state.max).toBe(1);
    expect(pools.get(ctx.workspace.workspaceId, 'api')?.peak).toBe(1);
  });
});

describe('pool configuration', () => {
  const registry = new ConnectorRegistry([httpConnector]);

  it('level: the connection’s, else the legacy http setting, else the connector default', () => {
    expect(concurrencyLevel(connection('a', 'http://x', { level: 7 }), registry)).toBe(7);
    const legacy = { ...connection('a', 'http://x'), settings: { baseUrl: 'http://x', concurrency: 5 } };
    expect(concurrencyLevel(legacy, registry)).toBe(5);
    expect(concurrencyLevel(connection('a', 'http://x'), registry)).toBe(4);
  });

  it('borrowing from an unknown connection, from itself or from a borrower stops the run before it starts', async () => {
    for (const [concurrency, message] of [
      [{ borrowFrom: 'nope' }, 'unknown connection "nope"'],
      [{ borrowFrom: 'api' }, 'cannot borrow concurrency from itself'],
      [{ borrowFrom: 'middle' }, '"middle" borrows concurrency from "root" itself'],
    ] as const) {
      const { ctx, flow } = setup([
        connection('api', 'http://127.0.0.1:1', concurrency),
        connection('middle', 'http://127.0.0.1:1', { borrowFrom: 'root' }),
        connection('root', 'http://127.0.0.1:1'),
      ]);
      const error = await runFlow(flow('a', 'api'), ctx).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).problems).toContainEqual({
        file: 'connections/api.connection.json',
        path: 'concurrency.borrowFrom',
        message: expect.stringContaining(message),
      });
    }
  });
});
