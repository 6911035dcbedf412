/**
 * End to end through `ferry run` (in process, env secrets) against the emulator: items from BC online to a CSV file,
 * and customers from a CSV file into BC14 on premises (API v1.0) — created, then updated, and on an incremental
 * re-run only the changed rows are sent.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ferry } from '../../cli/testing/cli-harness.js';
import { chainEdges, flowNode, putFile } from '../../cli/testing/workspace-files.js';
import { BC_DEMO, type BcEmulator, startBcEmulator } from './emulator/index.js';
import { type Exchange, recordingProxy } from './test-support.js';

const USA = BC_DEMO.companies.usa.id;
let root: string;
let ws: string;
let bc: BcEmulator;
let proxy: Awaited<ReturnType<typeof recordingProxy>>;
let env: NodeJS.ProcessEnv;

const node = flowNode;
const edges = chainEdges;
const put = (file: string, value: unknown) => putFile(ws, file, value);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-bc-'));
  ws = join(root, 'ws');
  bc = await startBcEmulator({ size: { items: 2500 } });
  proxy = await recordingProxy(bc.url, true);
  env = {
    FERRY_DATA_DIR: join(root, 'data'),
    FERRY_SECRETS: 'env',
    FERRY_SECRET_BC_ONLINE_CLIENTSECRET: BC_DEMO.clientSecret,
    FERRY_SECRET_BC14_PASSWORD: BC_DEMO.webServiceAccessKey,
  };
  await put('ferry.workspace.json', { schemaVersion: 1, id: 'bc-e2e', name: 'BC end to end' });
  const connection = (id: string, settings: Record<string, unknown>, secret: string) => ({
    schemaVersion: 1,
    id,
    name: id,
    connector: 'business-central',
    settings,
    secrets: { [secret]: { secret: `bc-e2e/${id}/${secret}` } },
  });
  await put(
    'connections/bc-online.connection.json',
    connection(
      'bc-online',
      {
        mode: 'online',
        tenant: BC_DEMO.tenantDomain,
        clientId: BC_DEMO.clientId,
        company: USA,
        authorityHost: proxy.url,
        apiHost: proxy.url,
      },
      'clientSecret',
    ),
  );
  await put(
    'connections/bc14.connection.json',
    connection(
      'bc14',
      {
        mode: 'on-premise',
        baseUrl: `${proxy.url}/${BC_DEMO.instance}`,
        apiVersion: 'v1.0',
        username: BC_DEMO.userName,
        company: 'CRONUS USA, Inc.',
      },
      'password',
    ),
  );
});

afterEach(async () => {
  await proxy.close();
  await bc.close();
  await rm(root, { recursive: true, force: true });
});

describe('ferry run with Business Central', () => {
  it('items from BC online → CSV (paged, only the fields the flow uses)', async () => {
    await put('flows/items-to-csv.flow.json', {
      schemaVersion: 2,
      id: 'items-to-csv',
      name: 'Items to CSV',
      nodes: [
        node('items', 'source', 'business-central', 0, {
          connection: 'bc-online',
          entity: 'items',
          fields: ['number', 'displayName', 'unitPrice', 'inventory'],
          maxPageSize: 1000,
        }),
        node('map', 'map', 'map', 200, {
          fields: [
            { target: 'sku', expression: 'number' },
            { target: 'name', expression: 'displayName' },
            { target: 'price', expression: 'unitPrice' },
            { target: 'stock', expression: 'inventory' },
          ],
        }),
        node('csv', 'destination', 'file', 400, { path: 'out/items.csv' }),
      ],
      edges: edges('items', 'map', 'csv'),
    });
    const run = await ferry(['run', '.', 'items-to-csv'], { cwd: ws, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('created 2,500 · updated 0');
    const lines = (await readFile(join(ws, 'out/items.csv'), 'utf8')).trimEnd().split(/\r?\n/);
    expect(lines[0]).toBe('sku,name,price,stock');
    expect(lines).toHaveLength(2501);
    const first = bc.store.rows(USA, 'items')[0]!.row;
    expect(lines).toContain(`${first.number},${first.displayName},${first.unitPrice},${first.inventory}`);
    const reads = proxy.exchanges.filter((e) => e.url.includes('/items'));
    expect(reads).toHaveLength(3);
    expect(decodeURIComponent(reads[0]!.url)).toContain(
      '$select=number,displayName,unitPrice,inventory,id,lastModifiedDateTime',
    );
  });

  it('customers from CSV → BC14 (API v1.0): created, then only changed rows updated', async () => {
    const header = 'no,name,street,city,country,email,updatedAt';
    const rows = Array.from(
      { length: 30 },
      (_, i) =>
        `CSV-${100 + i},Customer ${i},${i} Harbour Road,Bergen,NO,c${i}@example.com,2026-05-01T10:${String(i).padStart(2, '0')}:00Z`,
    );
    await put('data/customers.csv', `${header}\n${rows.join('\n')}\n`);
    await put('flows/customers-to-bc14.flow.json', {
      schemaVersion: 2,
      id: 'customers-to-bc14',
      name: 'Customers to BC14',
      nodes: [
        node('csv', 'source', 'file', 0, { path: 'data/customers.csv', key: 'no', deltaField: 'updatedAt' }),
        node('map', 'map', 'map', 200, {
          fields: [
            { target: 'number', expression: 'no' },
            { target: 'displayName', expression: 'name' },
            { target: 'addressLine1', expression: 'street' },
            { target: 'city', expression: 'city' },
            { target: 'country', expression: 'country' },
            { target: 'email', expression: 'email' },
          ],
        }),
        node('bc', 'destination', 'business-central', 400, {
          connection: 'bc14',
          entity: 'customers',
          operation: 'upsert',
          key: 'number',
          batchSize: 20,
        }),
      ],
      edges: edges('csv', 'map', 'bc'),
    });
    const first = await ferry(['run', '.', 'customers-to-bc14'], { cwd: ws, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('created 30 · updated 0');
    const stored = () => bc.store.rows(USA, 'customers').filter((r) => String(r.row.number).startsWith('CSV-'));
    expect(stored()).toHaveLength(30);
    expect(stored().find((r) => r.row.number === 'CSV-105')!.row).toMatchObject({
      displayName: 'Customer 5',
      addressLine1: '5 Harbour Road',
      city: 'Bergen',
      country: 'NO',
    });
    // v1.0 on the wire: the address went as the nested postal address.
    const creates = batchOperations(proxy.exchanges);
    expect(creates).toHaveLength(30);
    expect(creates[0]).toMatchObject({
      method: 'POST',
      body: { address: { street: '0 Harbour Road', countryLetterCode: 'NO' } },
    });

    // Two rows change; the incremental re-run sends exactly those two, as updates.
    rows[3] = rows[3]!.replace('Customer 3', 'Customer Three').replace('10:03:00Z', '11:00:00Z');
    rows[7] = rows[7]!.replace('Bergen', 'Oslo').replace('10:07:00Z', '11:01:00Z');
    await put('data/customers.csv', `${header}\n${rows.join('\n')}\n`);
    proxy.exchanges.length = 0;
    const second = await ferry(['run', '.', 'customers-to-bc14'], { cwd: ws, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('created 0 · updated 2');
    const updates = batchOperations(proxy.exchanges);
    expect(updates.map((u) => u.method)).toEqual(['PATCH', 'PATCH']);
    expect(stored().find((r) => r.row.number === 'CSV-103')!.row.displayName).toBe('Customer Three');
    expect(stored().find((r) => r.row.number === 'CSV-107')!.row.city).toBe('Oslo');

    proxy.exchanges.length = 0;
    const third = await ferry(['run', '.', 'customers-to-bc14'], { cwd: ws, env });
    expect(third.code).toBe(0);
    expect(batchOperations(proxy.exchanges)).toEqual([]);
  });
});

function batchOperations(exchanges: Exchange[]): { method: string; url: string; body?: Record<string, unknown> }[] {
  return exchanges
    .filter((e) => e.url.endsWith('$batch'))
    .flatMap(
      (e) =>
        (e.requestBody as { requests: { method: string; url: string; body?: Record<string, unknown> }[] }).requests,
    );
}
