/** The sales source's lineProducts: each line item gets its product's SKU and name, each product read once a run. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingProxy } from '../net/recording-proxy.js';
import type { SourceReader } from '../types.js';
import { type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { createLightspeedConnector } from './index.js';
import { demoSecrets, demoSettings, fakeClock, lsContext } from './test-support.js';

let ls: LightspeedEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
const signal = new AbortController().signal;

beforeEach(async () => {
  ls = await startLightspeedEmulator({});
  proxy = await recordingProxy(ls.url);
});
afterEach(async () => {
  await proxy.close();
  await ls.close();
});

async function readSales(config: Record<string, unknown>, pageSize = 1000) {
  const connector = createLightspeedConnector({ clock: fakeClock(), random: () => 0.5 });
  const reader = (await connector.source!.open({ entity: 'sales', ...config }, lsContext(demoSettings(proxy.url), demoSecrets()))) as SourceReader; // prettier-ignore
  const records = [];
  for await (const page of reader.pages({ pageSize, signal })) records.push(...page.records);
  await reader.close?.();
  return records;
}

const searches = () => proxy.exchanges.filter((e) => e.url.includes('/search?'));

describe('sales with lineProducts', () => {
  it('adds each line’s product SKU and name, asking for each product once', async () => {
    const sales = await readSales({ lineProducts: true, pageSize: 5 }, 3);
    const lines = sales.flatMap((s) => s.line_items as Record<string, unknown>[]);
    expect(lines.length).toBeGreaterThan(sales.length);
    for (const line of lines) {
      const product = ls.store.get('products', line.product_id as string)!;
      expect(line).toMatchObject({ sku: product.sku, product_name: product.name });
    }
    const productIds = new Set(lines.map((l) => l.product_id));
    expect(searches()).toHaveLength(productIds.size);
    expect(searches().every((e) => new URL(e.url, 'http://x').searchParams.get('type') === 'products')).toBe(true);
  });

  it('leaves sales as read without it', async () => {
    const sales = await readSales({});
    expect((sales[0]!.line_items as Record<string, unknown>[])[0]).not.toHaveProperty('sku');
    expect(searches()).toHaveLength(0);
  });
});
