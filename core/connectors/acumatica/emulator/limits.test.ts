import { afterEach, describe, expect, it, vi } from 'vitest';
import { type AcumaticaEmulator, type AcumaticaEmulatorOptions, startAcumaticaEmulator } from './server.js';
import { type Answer, call, client } from './test-support.js';

describe('Acumatica emulator: licence request limits', () => {
  let acu: AcumaticaEmulator | undefined;
  let now = Date.parse('2025-06-02T10:00:00Z');
  const start = async (options: AcumaticaEmulatorOptions) =>
    (acu = await startAcumaticaEmulator({ clock: () => now, size: { customers: 2, stockItems: 2, salesOrders: 1 }, ...options })); // prettier-ignore
  afterEach(async () => {
    await acu?.close();
    acu = undefined;
  });

  it('processes at most the concurrent requests the licence allows, queues more and answers 429 past the queue', async () => {
    const acu = await start({ limits: { concurrentRequests: 2, queueSize: 1, requestsPerMinute: 1000 } });
    const c = await client(acu);
    acu.pause();
    const pending = Array.from({ length: 3 }, () => c.get('StockItem?$top=1'));
    await vi.waitFor(() => expect(acu.stats).toMatchObject({ inFlight: 2, queued: 1 }));
    const refused = await c.get('StockItem?$top=1');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/^Too Many Requests/);
    expect(refused.headers.get('retry-after')).toBe('1');
    // Sign-out is exempt: it is answered while the licence's slots are taken.
    expect((await c.logout()).status).toBe(204);
    acu.resume();
    // Requests are authenticated on arrival: the queued one still runs after the sign-out.
    expect((await Promise.all(pending)).map((a: Answer) => a.status)).toEqual([200, 200, 200]);
    expect(acu.stats).toMatchObject({ maxInFlight: 2, throttled: 1, inFlight: 0, queued: 0 });
  });

  it('starts at most the requests per minute the licence allows; the rest wait for the window to move on', async () => {
    const acu = await start({ limits: { requestsPerMinute: 3, queueSize: 5, concurrentRequests: 10 } });
    const c = await client(acu); // the sign-in is one of the 3
    expect((await c.get('Customer?$top=1')).status).toBe(200);
    expect((await c.get('Customer?$top=1')).status).toBe(200);
    const waiting = c.get('Customer?$top=1');
    await vi.waitFor(() => expect(acu.stats.queued).toBe(1));
    now += 60_000;
    acu.tick();
    expect((await waiting).status).toBe(200);
    expect(acu.stats).toMatchObject({ queued: 0, throttled: 0 });
  });

  it('answers 429 to a request that waited longer than the queue allows', async () => {
    const acu = await start({ limits: { concurrentRequests: 1, queueSize: 5, queueTimeoutMs: 20 } });
    const c = await client(acu);
    acu.pause();
    const first = c.get('Customer?$top=1');
    await vi.waitFor(() => expect(acu.stats.inFlight).toBe(1));
    const second = await c.get('Customer?$top=1');
    expect(second.status).toBe(429);
    acu.resume();
    expect((await first).status).toBe(200);
  });

  it('injects faults from a seeded generator: error statuses, resets and 429s, the same ones for the same seed', async () => {
    const run = async () => {
      const acu = await startAcumaticaEmulator({ size: { customers: 1, stockItems: 1, salesOrders: 1 }, faults: { seed: 7, errors: [{ status: 503, rate: 0.3 }, { status: 429, rate: 0.2 }], resetRate: 0.1 } }); // prettier-ignore
      try {
        let c: Awaited<ReturnType<typeof client>> | undefined;
        // The sign-in is an API request too: it may draw a fault.
        for (let i = 0; i < 20 && !c; i++) c = await client(acu).catch(() => undefined);
        const statuses: number[] = [];
        for (let i = 0; i < 40; i++) {
          const answer = await call(`${acu.endpointUrl()}/Customer?$top=1`, { headers: c!.auth }).catch(() => undefined); // prettier-ignore
          statuses.push(answer?.status ?? 0);
        }
        return { statuses, stats: acu.stats };
      } finally {
        await acu.close();
      }
    };
    const first = await run();
    expect(first.statuses).toEqual(expect.arrayContaining([200, 503, 429, 0]));
    expect(first.stats.errors).toBe(first.statuses.filter((s) => s === 503 || s === 429).length);
    expect((await run()).statuses).toEqual(first.statuses);
  });
});
