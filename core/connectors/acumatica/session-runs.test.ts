/**
 * Session discipline through the engine, counted by the emulator: every run signs in once and out once whatever
 * way it ends (success, a failing request, a thrown error, a cancel); a licence of one API user held by someone
 * else gives the plain message after a few spaced attempts and no more; concurrency level 3 is never exceeded; an
 * expired session is renewed once.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunContext, runFlow } from '../../engine/run-flow.js';
import { chainFlow } from '../../engine/testing/flow-builder.js';
import { type MemoryWorld, createWorld, memoryConnector } from '../../engine/testing/memory-connector.js';
import type { ConnectionFile } from '../../model/connection.js';
import { MemorySecretStore } from '../../secrets/secret-store.js';
import { ConnectorRegistry } from '../registry.js';
import { ACUMATICA_DEMO, type AcumaticaEmulator, startAcumaticaEmulator } from './emulator/index.js';
import { login } from './emulator/test-support.js';
import { createAcumaticaConnector } from './index.js';
import { resetLoginCoolDowns } from './session.js';
import { demoSettings, fakeClock } from './test-support.js';

let acu: AcumaticaEmulator;
afterEach(async () => {
  resetLoginCoolDowns();
  await acu?.close();
});

async function setup(
  options: { settings?: Record<string, unknown>; concurrency?: number; clock?: ReturnType<typeof fakeClock> } = {},
) {
  const world: MemoryWorld = createWorld({
    customers: Array.from({ length: 12 }, (_, i) => ({ CustomerID: `RUN${String(i).padStart(3, '0')}`, CustomerName: `Run ${i}`, CustomerClass: 'DEFAULT' })), // prettier-ignore
  });
  const workspaceId = randomUUID();
  const connection: ConnectionFile = {
    schemaVersion: 1,
    id: 'acu',
    name: 'Acumatica',
    connector: 'acumatica',
    settings: demoSettings(acu.instanceUrl, { loginRetry: { attempts: 1, delaySeconds: 60 }, ...options.settings }),
    ...(options.concurrency ? { concurrency: { level: options.concurrency } } : {}),
  };
  const secrets = new MemorySecretStore();
  await secrets.set(`${workspaceId}/acu/password`, ACUMATICA_DEMO.password);
  const connector = createAcumaticaConnector({ clock: options.clock ?? fakeClock(), random: () => 0.5 });
  const ctx: RunContext = {
    workspace: { dir: '/nonexistent', workspaceId, connections: new Map([['acu', connection]]) },
    registry: new ConnectorRegistry([memoryConnector(world), connector]),
    secrets,
  };
  return { world, ctx };
}

const readFlow = (id: string, config: Record<string, unknown> = {}) =>
  chainFlow(id, [
    { id: 'acu', kind: 'source', type: 'acumatica', config: { connection: 'acu', entity: 'Customer', pageSize: 5, ...config } }, // prettier-ignore
    { id: 'out', kind: 'destination', config: { target: 'customers', batchSize: 5 } },
  ]);
const writeFlow = (id: string) =>
  chainFlow(id, [
    { id: 'rows', kind: 'source', config: { dataset: 'customers', key: 'CustomerID' } },
    { id: 'acu', kind: 'destination', type: 'acumatica', config: { connection: 'acu', entity: 'Customer', operation: 'upsert' } }, // prettier-ignore
  ]);

describe('one session per run, always signed out', () => {
  it('100 runs — succeeded, failed requests, thrown errors, cancels — leave no session open', async () => {
    acu = await startAcumaticaEmulator({ limits: { apiUsers: 1 } });
    const { world, ctx } = await setup();
    const statuses: string[] = [];
    for (let i = 0; i < 100; i++) {
      const kind = i % 5;
      const controller = new AbortController();
      world.failWrite = kind === 3 ? () => new Error('the destination broke') : undefined;
      world.beforeWrite = kind === 2 ? async () => controller.abort(new Error('cancelled')) : undefined;
      const flow =
        kind === 1
          ? writeFlow(`w${i}`)
          : kind === 4
            ? readFlow(`f${i}`, { filter: 'NoSuchField eq 1' })
            : readFlow(`r${i}`);
      const summary = await runFlow(flow, ctx, { signal: controller.signal, pageSize: 5 });
      statuses.push(summary.status);
      // A session left open would hold the licence's only API user: the next run could not sign in.
      expect(acu.stats.openSessions, `after run ${i} (${summary.status}: ${summary.error ?? ''})`).toBe(0);
    }
    expect(statuses.slice(0, 5)).toEqual(['succeeded', 'succeeded', 'cancelled', 'failed', 'failed']);
    expect(new Set(statuses.filter((_, i) => i % 5 === 0))).toEqual(new Set(['succeeded']));
    expect(acu.stats).toMatchObject({ logins: 100, logouts: 100, openSessions: 0, loginFailures: 0 });
  });

  it('a source and a destination on one connection share one sign-in', async () => {
    acu = await startAcumaticaEmulator();
    const { ctx } = await setup();
    const flow = chainFlow('copy', [
      { id: 'in', kind: 'source', type: 'acumatica', config: { connection: 'acu', entity: 'Customer', fields: ['CustomerID', 'CustomerName'] } }, // prettier-ignore
      { id: 'map', kind: 'map', config: { fields: [{ target: 'CustomerID', expression: 'CustomerID' }, { target: 'CustomerName', expression: 'CustomerName & " (synced)"' }] } }, // prettier-ignore
      { id: 'out', kind: 'destination', type: 'acumatica', config: { connection: 'acu', entity: 'Customer', operation: 'update' } }, // prettier-ignore
    ]);
    const summary = await runFlow(flow, ctx);
    expect(summary.status).toBe('succeeded');
    expect(summary.counts.updated).toBe(acu.store.count('Customer'));
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
  });
});

describe("the licence's API-user limit", () => {
  it('one API user held by another integration: the plain message after 3 spaced attempts, then none until the wait is over', async () => {
    acu = await startAcumaticaEmulator({ limits: { apiUsers: 1 } });
    const foreign = await login(acu);
    expect(foreign.status).toBe(204);
    const clock = fakeClock();
    const { ctx } = await setup({ clock, settings: { loginRetry: { attempts: 3, delaySeconds: 60 } } });
    const first = await runFlow(readFlow('r1'), ctx);
    expect(first.status).toBe('failed');
    expect(first.error).toBe(
      "Acumatica refused the login: the license's limit of API users is reached; another integration or an earlier " +
        'session holds it. Ferry holds no session. Retry in 3 minutes.',
    );
    expect(clock.sleeps).toEqual([60_000, 120_000]);
    expect(acu.stats.loginFailures).toBe(3);
    // Scheduled runs in the cool-down do not knock at all.
    for (let i = 0; i < 10; i++) {
      clock.time += 10_000;
      const again = await runFlow(readFlow(`again${i}`), ctx);
      expect(again.error).toMatch(/Ferry holds no session\. Retry in [1-3] minutes?\.$/);
    }
    expect(acu.stats.loginFailures).toBe(3);
    // The other integration signs out; after the wait the run goes through.
    clock.time += 180_000;
    await fetch(`${acu.instanceUrl}/entity/auth/logout`, { method: 'POST', headers: { cookie: cookieOf(foreign.headers) } }); // prettier-ignore
    const later = await runFlow(readFlow('later'), ctx);
    expect(later.status).toBe('succeeded');
    expect(acu.stats).toMatchObject({ loginFailures: 3, openSessions: 0 });
  });
});

describe('concurrency and expiry', () => {
  it('concurrency level 3: two flows on the connection together never have more than 3 requests at the server', async () => {
    acu = await startAcumaticaEmulator({ faults: { latencyMs: 5 } });
    const { ctx } = await setup({ concurrency: 3 });
    const [a, b] = await Promise.all([runFlow(writeFlow('a'), ctx), runFlow(writeFlow('b'), ctx)]);
    expect([a.status, b.status]).toEqual(['succeeded', 'succeeded']);
    expect(acu.stats.maxInFlight).toBe(3);
    // The two runs side by side shared one session.
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
  });

  it('an expired session is signed in again once, and the read goes on', async () => {
    let now = Date.parse('2026-06-01T00:00:00Z');
    acu = await startAcumaticaEmulator({ clock: () => now, limits: { sessionTimeoutMs: 60_000 } });
    const { world, ctx } = await setup();
    world.beforeWrite = async (_target, batch) => {
      if (batch !== 1) return;
      now += 61_000;
      acu.tick();
    };
    const summary = await runFlow(readFlow('long'), ctx, { pageSize: 5 });
    expect(summary.status).toBe('succeeded');
    expect(summary.counts.created).toBe(acu.store.count('Customer'));
    expect(acu.stats).toMatchObject({ logins: 2, expiredSessions: 1, logouts: 1, openSessions: 0 });
  });
});

function cookieOf(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
}
