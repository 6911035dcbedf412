/**
 * End to end through `ferry run` (in process, env secrets) against the emulator: products from Lightspeed to a CSV
 * file (all pages; the incremental re-run reads only what changed since the stored version), and customers from a
 * CSV file into Lightspeed by e-mail — created or updated, then on the re-run only the changed rows, as updates.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferry } from '../../cli/testing/cli-harness.js';
import { chainEdges, flowNode, putFile } from '../../cli/testing/workspace-files.js';
import { recordingProxy } from '../net/recording-proxy.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';

let root: string;
let ws: string;
let ls: LightspeedEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
let env: NodeJS.ProcessEnv;
const put = (file: string, value: unknown) => putFile(ws, file, value);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-ls-'));
  ws = join(root, 'ws');
  ls = await startLightspeedEmulator({ size: { products: 1200 } });
  proxy = await recordingProxy(ls.url);
  env = { FERRY_DATA_DIR: join(root, 'data'), FERRY_SECRETS: 'env', FERRY_SECRET_SHOP_PERSONALTOKEN: LIGHTSPEED_DEMO.personalToken }; // prettier-ignore
  await put('ferry.workspace.json', { schemaVersion: 1, id: 'ls-e2e', name: 'Lightspeed end to end' });
  await put('connections/shop.connection.json', {
    schemaVersion: 1,
    id: 'shop',
    name: 'shop',
    connector: 'lightspeed',
    settings: { domainPrefix: LIGHTSPEED_DEMO.domainPrefix, auth: 'token', baseUrl: proxy.url },
    secrets: { personalToken: { secret: 'ls-e2e/shop/personalToken' } },
  });
});

afterEach(async () => {
  await proxy.close();
  await ls.close();
  await rm(root, { recursive: true, force: true });
});

describe('ferry run with Lightspeed', () => {
  it('products → CSV (paged by version), then only what changed', async () => {
    await put('flows/products-to-csv.flow.json', {
      schemaVersion: 2,
      id: 'products-to-csv',
      name: 'Products to CSV',
      nodes: [
        flowNode('products', 'source', 'lightspeed', 0, { connection: 'shop', entity: 'products', pageSize: 500 }),
        flowNode('map', 'map', 'map', 200, {
          fields: [
            { target: 'sku', expression: 'sku' },
            { target: 'name', expression: 'variant_name' },
            { target: 'price', expression: 'price_excluding_tax' },
            { target: 'ean', expression: "product_codes[type='EAN'].code" },
            { target: 'brand', expression: 'brand.name' },
          ],
        }),
        flowNode('csv', 'destination', 'file', 400, { path: 'out/products.csv' }),
      ],
      edges: chainEdges('products', 'map', 'csv'),
    });
    const total = ls.store.active('products').length;
    const run = await ferry(['run', '.', 'products-to-csv'], { cwd: ws, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`created ${total.toLocaleString('en-US')} · updated 0`);
    const lines = (await readFile(join(ws, 'out/products.csv'), 'utf8')).trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe('sku,name,price,ean,brand');
    expect(lines).toHaveLength(total + 1);
    const tee = ls.store.active('products').find((p) => p.sku === LIGHTSPEED_DEMO.skus.tees[4])!;
    expect(lines).toContain(`${LIGHTSPEED_DEMO.skus.tees[4]},Classic Tee / White / M,29,${(tee.product_codes as { code: string }[])[0]!.code},Ferry Apparel`); // prettier-ignore
    const pages = proxy.exchanges.filter((e) => e.url.startsWith('/api/2.0/products?'));
    expect(pages).toHaveLength(Math.ceil(total / 500) + 1);

    const watermark = Math.max(...ls.store.active('products').map((p) => p.version));
    const cup = ls.store.active('products').find((p) => p.sku === LIGHTSPEED_DEMO.skus.cup)!;
    ls.store.put('products', { ...cup, price_excluding_tax: 13 });
    proxy.exchanges.length = 0;
    const second = await ferry(['run', '.', 'products-to-csv'], { cwd: ws, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('created 1 · updated 0');
    expect((await readFile(join(ws, 'out/products.csv'), 'utf8')).trimEnd().split(/\r?\n/)).toEqual(['sku,name,price,ean,brand', `${LIGHTSPEED_DEMO.skus.cup},Espresso Cup,13,${(cup.product_codes as { code: string }[])[0]!.code},Harbour Ceramics`]); // prettier-ignore
    // The re-run starts after the version the first one reached (its watermark).
    const firstRead = proxy.exchanges.find((e) => e.url.startsWith('/api/2.0/products?'))!;
    expect(new URL(firstRead.url, 'http://x').searchParams.get('after')).toBe(String(watermark));
  }, 60_000);

  it('customers from CSV → Lightspeed by e-mail: created and updated, then only the changed rows as updates', async () => {
    const header = 'email,first,last,company,street,city,postcode,country,updatedAt';
    const rows = [
      `ANNA.BERG@example.com,Anna,Berg,Berg Design,1 Harbour Road,Auckland,1010,NZ,2026-05-01T10:00:00Z`,
      ...Array.from({ length: 11 }, (_, i) => `c${i}@example.com,First${i},Last${i},${i % 3 === 0 ? `Company ${i}` : ''},${i} Quay Street,Wellington,6011,NZ,2026-05-01T10:${String(i + 1).padStart(2, '0')}:00Z`), // prettier-ignore
    ];
    await put('data/customers.csv', `${header}\n${rows.join('\n')}\n`);
    await put('flows/customers-to-ls.flow.json', {
      schemaVersion: 2,
      id: 'customers-to-ls',
      name: 'Customers to Lightspeed',
      nodes: [
        flowNode('csv', 'source', 'file', 0, { path: 'data/customers.csv', key: 'email', deltaField: 'updatedAt' }),
        flowNode('map', 'map', 'map', 200, {
          fields: [
            { target: 'email', expression: 'email' },
            { target: 'first_name', expression: 'first' },
            { target: 'last_name', expression: 'last' },
            { target: 'company_name', expression: 'company' },
            { target: 'physical_address_1', expression: 'street' },
            { target: 'physical_city', expression: 'city' },
            { target: 'physical_postcode', expression: 'postcode' },
            { target: 'physical_country_id', expression: 'country' },
          ],
        }),
        flowNode('ls', 'destination', 'lightspeed', 400, { connection: 'shop', entity: 'customers', operation: 'upsert', key: 'email' }), // prettier-ignore
      ],
      edges: chainEdges('csv', 'map', 'ls'),
    });
    const before = ls.store.active('customers').length;
    const first = await ferry(['run', '.', 'customers-to-ls'], { cwd: ws, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created 11 · updated 1');
    expect(ls.store.active('customers')).toHaveLength(before + 11);
    const byEmail = (email: string) => ls.store.active('customers').filter((c) => String(c.email).toLowerCase() === email); // prettier-ignore
    expect(byEmail(LIGHTSPEED_DEMO.customers.person)).toEqual([expect.objectContaining({ company_name: 'Berg Design', physical_city: 'Auckland' })]); // prettier-ignore
    expect(byEmail('c3@example.com')).toEqual([expect.objectContaining({ name: 'First3 Last3', company_name: 'Company 3', physical_postcode: '6011' })]); // prettier-ignore

    rows[2] = rows[2]!.replace('First1', 'Firstone').replace('10:02:00Z', '11:00:00Z');
    rows[5] = rows[5]!.replace('Wellington', 'Napier').replace('10:05:00Z', '11:01:00Z');
    await put('data/customers.csv', `${header}\n${rows.join('\n')}\n`);
    proxy.exchanges.length = 0;
    const second = await ferry(['run', '.', 'customers-to-ls'], { cwd: ws, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('created 0 · updated 2');
    expect(proxy.exchanges.filter((e) => e.method !== 'GET').map((e) => e.method)).toEqual(['PUT', 'PUT']);
    expect(byEmail('c1@example.com')[0]!.first_name).toBe('Firstone');
    expect(byEmail('c4@example.com')[0]!.physical_city).toBe('Napier');
    expect(ls.store.active('customers')).toHaveLength(before + 11);
  }, 60_000);

  it('inventory from CSV → Lightspeed by SKU per outlet: a product the store lacks is skipped with the run warning', async () => {
    const [main, harbour] = ls.store.active('outlets');
    const [black, white] = [LIGHTSPEED_DEMO.skus.tees[0], LIGHTSPEED_DEMO.skus.tees[3]];
    await put('data/stock.csv', `sku,outlet,available\n${black},${main!.id},17\n${white},${harbour!.id},4\nBC-ONLY-1,${main!.id},9\n`); // prettier-ignore
    await put('flows/stock-to-ls.flow.json', {
      schemaVersion: 2,
      id: 'stock-to-ls',
      name: 'Stock to Lightspeed',
      nodes: [
        flowNode('csv', 'source', 'file', 0, { path: 'data/stock.csv', key: 'sku' }),
        flowNode('map', 'map', 'map', 200, {
          fields: [
            { target: 'sku', expression: 'sku' },
            { target: 'outlet_id', expression: 'outlet' },
            { target: 'inventory_level', expression: '$number(available)' },
          ],
        }),
        flowNode('ls', 'destination', 'lightspeed', 400, { connection: 'shop', entity: 'inventory', operation: 'updateOnly', key: 'sku' }), // prettier-ignore
      ],
      edges: chainEdges('csv', 'map', 'ls'),
    });
    const run = await ferry(['run', '.', 'stock-to-ls', '--json'], { cwd: ws, env });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('does not exist in the target and was skipped (operation updateOnly)');
    expect(run.stdout).toContain('"skipped":1');
    const level = (sku: string, outlet: string) => ls.store.inventory(ls.store.active('products').find((p) => p.sku === sku)!.id, outlet)!.inventory_level; // prettier-ignore
    expect([level(black, main!.id), level(white, harbour!.id)]).toEqual([17, 4]);
    expect(ls.store.active('products').some((p) => p.sku === 'BC-ONLY-1')).toBe(false);
  }, 60_000);
});
