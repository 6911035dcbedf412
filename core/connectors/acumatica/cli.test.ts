/**
 * End to end through `ferry run` (in process, env secrets) against the Acumatica emulator behind a recording proxy:
 * StockItems to a CSV file (paged, only the mapped fields, then incrementally), and customers from a CSV file into
 * Acumatica (upsert: created, then only the changed rows updated, nothing on a re-run without changes). Every
 * run signs in once and out once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferry } from '../../cli/testing/cli-harness.js';
import { chainEdges, flowNode, putFile } from '../../cli/testing/workspace-files.js';
import { type Exchange, recordingProxy } from '../net/recording-proxy.js';
import { ACUMATICA_DEMO, type AcumaticaEmulator, startAcumaticaEmulator } from './emulator/index.js';
import { contractProblems, demoSettings } from './test-support.js';

let root: string;
let ws: string;
let acu: AcumaticaEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
let env: NodeJS.ProcessEnv;

const node = flowNode;
const edges = chainEdges;
const map = (pairs: [string, string][]) => ({ fields: pairs.map(([target, expression]) => ({ target, expression })) });
const put = (file: string, value: unknown) => putFile(ws, file, value);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-acu-'));
  ws = join(root, 'ws');
  acu = await startAcumaticaEmulator({ size: { stockItems: 1200 } });
  proxy = await recordingProxy(acu.url);
  env = {
    FERRY_DATA_DIR: join(root, 'data'),
    FERRY_SECRETS: 'env',
    FERRY_SECRET_ACU_PASSWORD: ACUMATICA_DEMO.password,
  };
  await put('ferry.workspace.json', { schemaVersion: 1, id: 'acu-e2e', name: 'Acumatica end to end' });
  await put('connections/acu.connection.json', {
    schemaVersion: 1,
    id: 'acu',
    name: 'Acumatica',
    connector: 'acumatica',
    settings: { mode: 'on-premise', ...demoSettings(`${proxy.url}/${ACUMATICA_DEMO.instance}`) },
    secrets: { password: { secret: 'acu-e2e/acu/password' } },
    concurrency: { level: 3 },
  });
});

afterEach(async () => {
  await proxy.close();
  await acu.close();
  await rm(root, { recursive: true, force: true });
});

const puts = (exchanges: Exchange[]) => exchanges.filter((e) => e.method === 'PUT');

describe('ferry run with Acumatica', () => {
  it('StockItems → CSV (paged, the mapped fields only), then an incremental re-run reads only the changed item', async () => {
    await put('flows/items-to-csv.flow.json', {
      schemaVersion: 2,
      id: 'items-to-csv',
      name: 'Stock items to CSV',
      nodes: [
        node('items', 'source', 'acumatica', 0, {
          connection: 'acu',
          entity: 'StockItem',
          fields: ['InventoryID', 'Description', 'DefaultPrice'],
          pageSize: 500,
        }),
        node('map', 'map', 'map', 200, map([['sku', 'InventoryID'], ['name', 'Description'], ['price', 'DefaultPrice']])), // prettier-ignore
        node('csv', 'destination', 'file', 400, { path: 'out/items.csv' }),
      ],
      edges: edges('items', 'map', 'csv'),
    });
    const total = acu.store.count('StockItem');
    const run = await ferry(['run', '.', 'items-to-csv'], { cwd: ws, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`created ${total.toLocaleString('en-US')} · updated 0`);
    const lines = (await readFile(join(ws, 'out/items.csv'), 'utf8')).trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe('sku,name,price');
    expect(lines).toHaveLength(total + 1);
    const reads = proxy.exchanges.filter((e) => e.url.includes('/StockItem?'));
    expect(reads).toHaveLength(Math.ceil((total + 1) / 500));
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });

    // One item changes in Acumatica; the next run asks for LastModifiedDateTime after the watermark and gets it alone.
    const item = ACUMATICA_DEMO.keys.stockItems[1];
    const login = await fetch(`${acu.instanceUrl}/entity/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: ACUMATICA_DEMO.userName, password: ACUMATICA_DEMO.password, tenant: ACUMATICA_DEMO.tenant }), // prettier-ignore
    });
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const changed = await fetch(`${acu.endpointUrl()}/StockItem`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ InventoryID: { value: item }, Description: { value: 'Changed in Acumatica' } }),
    });
    expect(changed.status).toBe(200);
    await fetch(`${acu.instanceUrl}/entity/auth/logout`, { method: 'POST', headers: { cookie } });
    proxy.exchanges.length = 0;
    const again = await ferry(['run', '.', 'items-to-csv'], { cwd: ws, env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('created 1 · updated 0');
    expect((await readFile(join(ws, 'out/items.csv'), 'utf8')).trimEnd().split(/\r?\n/)).toEqual([
      'sku,name,price',
      expect.stringMatching(new RegExp(`^${item},Changed in Acumatica,`)),
    ]);
    const url = decodeURIComponent(proxy.exchanges.find((e) => e.url.includes('/StockItem?'))!.url);
    expect(url).toMatch(/\$filter=LastModifiedDateTime gt datetimeoffset'[^']+'/);
    expect(contractProblems(proxy.exchanges)).toEqual([]);
  });

  it('customers from CSV → Acumatica upsert: created, then only the changed rows updated, then nothing', async () => {
    const header = 'no,name,email,city,updatedAt';
    const rows = Array.from(
      { length: 30 },
      (_, i) => `CSV${100 + i},Customer ${i},c${i}@example.com,Bergen,2026-05-01T10:${String(i).padStart(2, '0')}:00Z`,
    );
    await put('data/customers.csv', `${header}\n${rows.join('\n')}\n`);
    await put('flows/customers-to-acu.flow.json', {
      schemaVersion: 2,
      id: 'customers-to-acu',
      name: 'Customers to Acumatica',
      nodes: [
        node('csv', 'source', 'file', 0, { path: 'data/customers.csv', key: 'no', deltaField: 'updatedAt' }),
        node('map', 'map', 'map', 200, map([['CustomerID', 'no'], ['CustomerName', 'name'], ['CustomerClass', '"DEFAULT"'], ['MainContact.Email', 'email'], ['MainContact.Address.City', 'city']])), // prettier-ignore
        node('acu', 'destination', 'acumatica', 400, { connection: 'acu', entity: 'Customer', operation: 'upsert' }),
      ],
      edges: edges('csv', 'map', 'acu'),
    });
    const first = await ferry(['run', '.', 'customers-to-acu'], { cwd: ws, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created 30 · updated 0');
    const stored = (id: string) => acu.store.findByKeys('Customer', [id]);
    expect(stored('CSV105')!.fields.CustomerName).toBe('Customer 5');
    expect(puts(proxy.exchanges)).toHaveLength(30);
    expect(puts(proxy.exchanges)[0]!.requestBody).toEqual({
      CustomerID: { value: 'CSV100' },
      CustomerName: { value: 'Customer 0' },
      CustomerClass: { value: 'DEFAULT' },
      MainContact: { Email: { value: 'c0@example.com' }, Address: { City: { value: 'Bergen' } } },
    });

    rows[3] = rows[3]!.replace('Customer 3', 'Customer Three').replace('10:03:00Z', '11:00:00Z');
    rows[7] = rows[7]!.replace('c7@example.com', 'seven@example.com').replace('10:07:00Z', '11:01:00Z');
    await put('data/customers.csv', `${header}\n${rows.join('\n')}\n`);
    proxy.exchanges.length = 0;
    const second = await ferry(['run', '.', 'customers-to-acu'], { cwd: ws, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('created 0 · updated 2');
    expect(puts(proxy.exchanges).map((e) => (e.requestBody as { CustomerID: { value: string } }).CustomerID.value)).toEqual(['CSV103', 'CSV107']); // prettier-ignore
    expect(stored('CSV103')!.fields.CustomerName).toBe('Customer Three');

    proxy.exchanges.length = 0;
    const third = await ferry(['run', '.', 'customers-to-acu'], { cwd: ws, env });
    expect(third.code).toBe(0);
    expect(puts(proxy.exchanges)).toEqual([]);
    expect(contractProblems(proxy.exchanges)).toEqual([]);
    // The sign-in is made by the first request: the third run had nothing to send and took no licence slot.
    expect(acu.stats).toMatchObject({ logins: 2, logouts: 2, openSessions: 0 });
  });
});
