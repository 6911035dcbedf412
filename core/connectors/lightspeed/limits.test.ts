/**
 * The store's rate limit kept client-side: two flows reading side by side from an emulator whose limit is the
 * documented formula at a short window never see a 429 and are paced to it; a 429 whose Retry-After is an HTTP date
 * is waited out to that date; the budget takes the store's figure from its registers and from X-RateLimit-Limit.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeAllServers, json, startServer } from '../http/test-support.js';
import { realClock } from '../net/limits.js';
import type { SourceReader } from '../types.js';
import { type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { createLightspeedConnector } from './index.js';
import { storeBudget } from './limits.js';
import { lsConnectionSettingsSchema } from './descriptor.js';
import { demoSecrets, demoSettings, fakeClock, lsContext } from './test-support.js';

let ls: LightspeedEmulator | undefined;
afterEach(async () => {
  await ls?.close();
  ls = undefined;
  await closeAllServers();
});

async function count(reader: SourceReader, signal: AbortSignal): Promise<number> {
  let n = 0;
  for await (const page of reader.pages({ pageSize: 100, signal })) n += page.records.length;
  await reader.close?.();
  return n;
}

describe('the rate budget', () => {
  it('keeps two flows under the store’s limit: no 429 under load, paced to perRegister × registers + base', async () => {
    // The documented formula at a 2-second window: 4 registers × 10 + 5 = 45 requests per window. (Not 1 s: the
    // client's margin for arrival lag is 250 ms, which a loaded test machine's event loop can exceed in a short window.)
    ls = await startLightspeedEmulator({ rateLimits: { perRegister: 10, base: 5, windowMs: 2000 } });
    const settings = demoSettings(ls.url, { rateLimit: { perRegister: 10, base: 5, windowSeconds: 2 } });
    const connector = createLightspeedConnector({ clock: realClock, random: () => 0 });
    const started = Date.now();
    // Two connections (flows) on one store and token, three reads each, one customer per request.
    const reads = await Promise.all(
      ['flow-a', 'flow-b'].flatMap((id) => {
        const ctx = lsContext(settings, demoSecrets(), { id });
        return [0, 1, 2].map(async () => count((await connector.source!.open({ entity: 'customers', pageSize: 1 }, ctx)) as SourceReader, ctx.signal)); // prettier-ignore
      }),
    );
    const elapsed = Date.now() - started;
    const customers = ls.store.active('customers').length;
    expect(reads).toEqual(Array(6).fill(customers));
    const requests = ls.stats.apiRequests;
    expect(requests).toBeGreaterThanOrEqual(6 * (customers + 1));
    expect(ls.stats.rateLimited).toBe(0);
    // Paced: no more than the limit in any window, so the whole took at least (requests / 45 − 1) windows.
    expect(elapsed).toBeGreaterThanOrEqual((Math.ceil(requests / 45) - 1) * 2000);
    console.info(`lightspeed budget: ${requests} requests in ${elapsed} ms at a limit of 45 per 2 s, 0 refused`);
  }, 30_000);

  it('waits out a 429 until its HTTP-date Retry-After, then goes on', async () => {
    const clock = fakeClock(Date.parse('2026-03-02T10:00:00.000Z'));
    let refused = 0;
    const server = await startServer((req, res) => {
      if (refused === 0) {
        refused++;
        return json(res, 429, { error: 'Too Many Requests', message: 'Rate limiting enforced' }, { 'Retry-After': new Date(clock.time + 3000).toUTCString() }); // prettier-ignore
      }
      json(res, 200, { data: [], version: { min: 0, max: 0 } });
    });
    const ctx = lsContext(demoSettings(server.url), demoSecrets());
    const reader = (await createLightspeedConnector({ clock, random: () => 0 }).source!.open({ entity: 'taxes' }, ctx)) as SourceReader; // prettier-ignore
    expect(await count(reader, ctx.signal)).toBe(0);
    expect(clock.sleeps).toEqual([3000]);
    expect(server.requests.map((r) => r.url)).toEqual(['/api/2.0/registers?page_size=1000', '/api/2.0/registers?page_size=1000', '/api/2.0/taxes?page_size=1000']); // prettier-ignore
    expect(ctx.logs.join('\n')).toContain('HTTP 429; retrying in 3000 ms');
  });

  it('takes the store’s figure from its registers and from X-RateLimit-Limit, one budget per store and application', () => {
    const settings = lsConnectionSettingsSchema.parse({ domainPrefix: 'budgetshop' });
    const clock = fakeClock();
    const budget = storeBudget('https://budgetshop.retail.lightspeed.app|token:x', settings, clock);
    expect(budget.budget.window.max).toBe(350);
    expect(budget.registersKnown).toBe(false);
    budget.setRegisters(4);
    expect([budget.budget.window.max, budget.registersKnown]).toEqual([1250, true]);
    budget.observe(new Headers({ 'X-RateLimit-Limit': '950' }));
    expect(budget.budget.window.max).toBe(950);
    budget.observe(new Headers({ 'X-RateLimit-Limit': 'soon' }));
    expect(budget.budget.window.max).toBe(950);
    expect(storeBudget('https://budgetshop.retail.lightspeed.app|token:x', settings, clock).budget).toBe(budget.budget);
    expect(storeBudget('https://budgetshop.retail.lightspeed.app|app:other', settings, clock).budget).not.toBe(budget.budget); // prettier-ignore
    expect(budget.budget.window.windowMs).toBe(300_000);
  });
});
