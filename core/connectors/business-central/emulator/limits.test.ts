import { afterEach, describe, expect, it, vi } from 'vitest';
import { startBcEmulator, type BcEmulator } from './server.js';
import { client, USA } from './test-support.js';

describe('Business Central emulator: limits and faults', () => {
  let bc: BcEmulator | undefined;
  afterEach(async () => {
    await bc?.close();
    bc = undefined;
  });

  it('processes 5 requests per user at once and queues the rest', async () => {
    bc = await startBcEmulator();
    const api = client(bc);
    bc.pause();
    const answers = Promise.all(Array.from({ length: 12 }, () => api.get(`companies(${USA})/items?$top=1`)));
    await vi.waitFor(() => expect(bc!.stats).toMatchObject({ inFlight: 5, queued: 7 }));
    bc.resume();
    expect((await answers).map((a) => a.status)).toEqual(Array(12).fill(200));
    expect(bc.stats).toMatchObject({ maxInFlight: 5, throttled: 0, inFlight: 0, queued: 0 });
  });

  it('answers 429 when the queue is full', async () => {
    bc = await startBcEmulator({ limits: { concurrentRequests: 2, queueSize: 3 } });
    const api = client(bc);
    bc.pause();
    const answers = Promise.all(Array.from({ length: 8 }, () => api.get(`companies(${USA})/items?$top=1`)));
    await vi.waitFor(() => expect(bc!.stats.throttled).toBe(3));
    bc.resume();
    const statuses = (await answers).map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const rejected = (await answers).find((a) => a.status === 429)!;
    expect(rejected.body.error.code).toBe('Application_TooManyRequests');
    expect(bc.stats.maxInFlight).toBe(2);
  });

  it('gives up on a request that waited too long in the queue with 503', async () => {
    bc = await startBcEmulator({ limits: { concurrentRequests: 1, queueTimeoutMs: 20 } });
    const api = client(bc);
    bc.pause();
    const first = api.get('companies');
    await vi.waitFor(() => expect(bc!.stats.inFlight).toBe(1));
    const waited = await api.get('companies');
    expect(waited.status).toBe(503);
    expect(waited.headers.get('retry-after')).toBe('1');
    bc.resume();
    expect((await first).status).toBe(200);
    expect(bc.stats.queueTimeouts).toBe(1);
  });

  it('limits requests per sliding window, with Retry-After until the oldest request leaves it', async () => {
    let time = Date.UTC(2025, 0, 1);
    bc = await startBcEmulator({ clock: () => time, limits: { requestsPerWindow: 3, windowMs: 60_000 } });
    const api = client(bc);
    for (let i = 0; i < 3; i++) {
      expect((await api.get('companies')).status).toBe(200);
      time += 10_000;
    }
    const limited = await api.get('companies');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('30');
    time += 30_000;
    expect((await api.get('companies')).status).toBe(200);
    expect(bc.stats.throttled).toBe(1);
  });

  it('injects errors and dropped connections deterministically from the seed', async () => {
    const run = async () => {
      const emulator = await startBcEmulator({ faults: { seed: 42, errors: [{ status: 503, rate: 0.3 }], resetRate: 0.1 } }); // prettier-ignore
      try {
        const api = client(emulator);
        const outcomes: Array<number | 'reset'> = [];
        for (let i = 0; i < 30; i++) {
          outcomes.push(
            await api.get('companies').then(
              (a) => a.status,
              () => 'reset' as const,
            ),
          );
        }
        return { outcomes, stats: emulator.stats };
      } finally {
        await emulator.close();
      }
    };
    const first = await run();
    const second = await run();
    expect(second.outcomes).toEqual(first.outcomes);
    expect(first.outcomes.filter((o) => o === 503)).toHaveLength(first.stats.errors);
    expect(first.outcomes.filter((o) => o === 'reset')).toHaveLength(first.stats.resets);
    expect(first.stats.errors).toBeGreaterThan(0);
    expect(first.stats.resets).toBeGreaterThan(0);
    expect(first.outcomes.filter((o) => o === 200).length).toBe(30 - first.stats.errors - first.stats.resets);
  });

  it('answers injected 503s in BC form with Retry-After', async () => {
    bc = await startBcEmulator({ faults: { errors: [{ status: 503, rate: 1 }] } });
    const answer = await client(bc).get('companies');
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toBe('1');
    expect(answer.body.error.message).toMatch(/CorrelationId: {2}[0-9a-f-]{36}\.$/);
  });
});
