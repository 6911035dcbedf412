/**
 * Reading from the emulator through the connector: paging by the version cursor (every request's `after` is the
 * previous page's `version.max`), delta by version, soft-deleted records on request, every entity of the catalog,
 * and lookups through /search (SKUs many per request, e-mail without regard to case, several fields at once).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingProxy } from '../net/recording-proxy.js';
import type { LookupRuntime, SourcePage, SourceReader } from '../types.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { createLightspeedConnector } from './index.js';
import { demoSecrets, demoSettings, fakeClock, lsContext } from './test-support.js';

let ls: LightspeedEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
const signal = new AbortController().signal;

beforeEach(async () => {
  ls = await startLightspeedEmulator({ size: { products: 2500, customers: 40 } });
  proxy = await recordingProxy(ls.url);
});

afterEach(async () => {
  await proxy.close();
  await ls.close();
});

const connector = () => createLightspeedConnector({ clock: fakeClock(), random: () => 0.5 });
const context = () => lsContext(demoSettings(proxy.url), demoSecrets());

async function source(config: Record<string, unknown>): Promise<SourceReader> {
  return (await connector().source!.open(config, context())) as SourceReader;
}

async function readAll(reader: SourceReader, since?: string, pageSize = 1000): Promise<SourcePage[]> {
  const pages: SourcePage[] = [];
  for await (const page of reader.pages({ pageSize, since, signal })) pages.push(page);
  await reader.close?.();
  return pages;
}

const listCalls = (path: string) =>
  proxy.exchanges.filter((e) => e.method === 'GET' && new URL(e.url, 'http://x').pathname === `/api/2.0${path}`);

describe('reading', () => {
  it('pages products by the version cursor until a page comes back empty', async () => {
    const reader = await source({ entity: 'products', pageSize: 1000 });
    expect(reader.delta).toEqual({ field: 'version', ordered: true });
    expect(reader.keyField).toBe('id');
    const records = (await readAll(reader)).flatMap((p) => p.records);
    expect(records).toHaveLength(ls.store.active('products').length);
    expect(records.map((r) => r.sku)).toContain(LIGHTSPEED_DEMO.skus.tees[3]);
    const versions = records.map((r) => r.version as number);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    const calls = listCalls('/products');
    const query = (i: number) => new URL(calls[i]!.url, 'http://x').searchParams;
    // 2,500+ products at 1,000 a page: three pages and the empty one that ends the read.
    expect(calls).toHaveLength(4);
    expect(query(0).get('after')).toBeNull();
    for (let i = 1; i < calls.length; i++) {
      const previous = calls[i - 1]!.responseBody as { version: { max: number } };
      expect(Number(query(i).get('after'))).toBe(previous.version.max);
      expect(query(i).get('page_size')).toBe('1000');
    }
    expect((calls[3]!.responseBody as { data: unknown[] }).data).toEqual([]);
  });

  it('reads only what changed after a version (delta), and nothing when nothing did', async () => {
    const all = (await readAll(await source({ entity: 'customers' }))).flatMap((p) => p.records);
    const watermark = String(Math.max(...all.map((r) => r.version as number)));
    expect((await readAll(await source({ entity: 'customers' }), watermark)).flatMap((p) => p.records)).toEqual([]);
    const anna = ls.store.active('customers').find((c) => c.email === LIGHTSPEED_DEMO.customers.person)!;
    ls.store.put('customers', { ...anna, note: 'changed' });
    const changed = (await readAll(await source({ entity: 'customers' }), watermark)).flatMap((p) => p.records);
    expect(changed.map((r) => [r.email, r.note])).toEqual([[LIGHTSPEED_DEMO.customers.person, 'changed']]);
    await expect(readAll(await source({ entity: 'customers' }), '2024-01-01')).rejects.toThrow('by version (a whole number), not by date'); // prettier-ignore
  });

  it('hands the engine pages of its size, and reads soft-deleted records only when asked', async () => {
    const pages = await readAll(await source({ entity: 'customers', pageSize: 20 }), undefined, 7);
    expect(Math.max(...pages.map((p) => p.records.length))).toBe(7);
    const victim = ls.store.active('customers')[0]!;
    ls.store.remove('customers', victim.id);
    const live = (await readAll(await source({ entity: 'customers' }))).flatMap((p) => p.records);
    expect(live.map((r) => r.id)).not.toContain(victim.id);
    const withDeleted = (await readAll(await source({ entity: 'customers', deleted: true }))).flatMap((p) => p.records);
    expect(withDeleted.find((r) => r.id === victim.id)?.deleted_at).toEqual(expect.any(String));
  });

  it.each(['sales', 'inventory', 'outlets', 'registers', 'taxes', 'payment_types'])('reads every %s', async (name) => {
    const records = (await readAll(await source({ entity: name }))).flatMap((p) => p.records);
    const collection = name as Parameters<typeof ls.store.active>[0];
    expect(records.length).toBeGreaterThan(0);
    expect(records.map((r) => r.id).sort()).toEqual(
      ls.store
        .active(collection)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('sales carry their line items, payments and status', async () => {
    const sales = (await readAll(await source({ entity: 'sales' }))).flatMap((p) => p.records);
    expect(new Set(sales.map((s) => s.status))).toEqual(new Set(['CLOSED', 'SAVED', 'ONACCOUNT', 'LAYBY', 'AWAITING_DISPATCH', 'AWAITING_PICKUP', 'VOIDED'])); // prettier-ignore
    const closed = sales.find((s) => s.status === 'CLOSED')!;
    expect((closed.line_items as unknown[]).length).toBeGreaterThan(0);
    expect((closed.payments as unknown[]).length).toBeGreaterThan(0);
  });
});

describe('lookups', () => {
  async function lookup(entity: string): Promise<LookupRuntime> {
    return (await connector().lookup!.open({ entity }, context())) as LookupRuntime;
  }

  it('finds products by SKU, many in one search, in the order asked; unknown and empty SKUs find nothing', async () => {
    const runtime = await lookup('products');
    const skus = [LIGHTSPEED_DEMO.skus.tees[1], 'NOPE-1', LIGHTSPEED_DEMO.skus.cup, '', ...Array.from({ length: 60 }, (_, i) => `GEN-${String(i + 1).padStart(4, '0')}`)]; // prettier-ignore
    const before = proxy.exchanges.length;
    const found = await runtime.find(
      skus.map((sku) => ({ sku })),
      signal,
    );
    expect(found.map((r) => r?.sku)).toEqual(skus.map((s) => (s === 'NOPE-1' || s === '' ? undefined : s)));
    const searches = proxy.exchanges.slice(before).filter((e) => e.url.includes('/search?'));
    // 63 SKUs: 50 in the first request, 13 in the second.
    expect(searches).toHaveLength(2);
    expect(new URL(searches[0]!.url, 'http://x').searchParams.getAll('sku')).toHaveLength(50);
    await runtime.close?.();
  });

  it('finds customers by e-mail whatever its case, and by several fields at once', async () => {
    const runtime = await lookup('customers');
    const [anna, nobody, tom] = await runtime.find(
      [{ email: 'Anna.Berg@Example.com' }, { email: 'nobody@example.com' }, { first_name: 'Tom', company_name: 'Hale & Sons Ltd' }], // prettier-ignore
      signal,
    );
    expect(anna).toMatchObject({ first_name: 'Anna', email: LIGHTSPEED_DEMO.customers.person });
    expect(nobody).toBeUndefined();
    expect(tom).toMatchObject({ last_name: 'Hale', email: LIGHTSPEED_DEMO.customers.company });
    await expect(runtime.find([{ balance: 0 }], signal)).rejects.toThrow(
      'lookup of customers by "balance": Lightspeed\'s search finds customers by id, customer_code, email',
    );
  });

  it('finds sales by invoice number', async () => {
    const sale = ls.store.active('sales')[3]!;
    const [found] = await (await lookup('sales')).find([{ invoice_number: sale.invoice_number }], signal);
    expect(found?.id).toBe(sale.id);
  });
});
