import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordData } from '../../engine/record.js';
import { closeAllServers, json, startServer } from '../http/test-support.js';
import { runWrites } from './batch.js';
import { bcCatalog } from './catalog.js';
import { type Connected, connect } from './connect.js';
import { values } from './client.js';
import { bcContext, contractProblems, fakeClock } from './test-support.js';

const SAMPLES = fileURLToPath(new URL('../../../resources/specs/business-central/bc-v2.0/samples', import.meta.url));
const sample = (name: string): RecordData => JSON.parse(readFileSync(join(SAMPLES, name), 'utf8')) as RecordData;
const catalog = bcCatalog('v2.0');
const COMPANY = '3ab5c248-e72b-f011-9a4a-7c1e5275406f';

afterEach(closeAllServers);

/** A server answering every request with the sample the test put up, keeping what was asked. */
async function sampleServer() {
  let current = 'empty.json';
  const server = await startServer((_req, res) => json(res, 200, sample(current)));
  const settings = {
    mode: 'on-premise',
    baseUrl: `${server.url}/BC`,
    apiVersion: 'v2.0',
    username: 'ADMIN',
    company: COMPANY,
  };
  const connected = await connect(bcContext(settings, { password: 'secret-key' }), { clock: fakeClock() });
  await connected.client.useCompany(COMPANY, new AbortController().signal);
  return { server, connected, serve: (name: string) => (current = name) };
}

async function readAll(connected: Connected, entity: string): Promise<RecordData[]> {
  const out: RecordData[] = [];
  for await (const page of connected.client.pages(entity, { maxPageSize: 1000, signal: new AbortController().signal }))
    out.push(...page);
  return out;
}

const signal = new AbortController().signal;
const checks: Record<string, (c: Connected) => Promise<RecordData[]>> = {
  'companies.json': async (c) => (await c.client.companies(signal)) as unknown as RecordData[],
  'customer.json': async (c) => [
    (await c.client.getById(catalog.entitySet('customers')!, '34f03eee-2a32-f011-9a4a-7ced8d0ee6e7', signal))!,
  ],
  'empty.json': (c) => readAll(c, 'customers'),
  'salesOrders.json': (c) => readAll(c, 'salesOrders'),
  'subscription.json': async (c) => [
    (await c.client.getById(catalog.entitySet('subscriptions')!, '270135334a7d433e9009dde078e9e29c', signal))!,
  ],
  'batch.json': async (c) => {
    const set = catalog.entitySet('salesOrderLines')!;
    const ops = [1, 2].map(() => ({ kind: 'create' as const, set, body: { lineType: 'Item', quantity: 2 } }));
    const results = await runWrites(c.client, ops, { batchSize: 100, signal });
    return results.map((r) => (r.kind === 'ok' ? r.record! : { failed: r }));
  },
};
// Samples of a partner API page (fields no, gln, …) and of webhook payloads: they parse as OData collections, but
// are not entities of the standard catalog.
const notStandard: Record<string, (c: Connected) => Promise<RecordData[]>> = {
  'customers.json': (c) => readAll(c, 'customers'),
  'shipToAddresses.json': async () => values({ json: sample('shipToAddresses.json') }),
  'notifications.json': async () => values({ json: sample('notifications.json') }),
};

// The BC 26 tenant of the samples expands `pdfDocument` on sales orders; the $metadata the catalog is generated from
// declares that navigation on salesInvoice only. A gap of the spec, not of the client: reported, not hidden.
const KNOWN_GAPS = ['salesOrders.pdfDocument: not a property of salesOrder'];

describe('every sample response parses through the client', () => {
  it('has a check for each file in the samples folder', () => {
    expect(readdirSync(SAMPLES).sort()).toEqual([...Object.keys(checks), ...Object.keys(notStandard)].sort());
  });

  it.each(Object.keys(checks))('%s: parsed records match the catalog entity types', async (file) => {
    const { connected, serve } = await sampleServer();
    serve(file);
    const records = await checks[file]!(connected);
    const setName =
      file === 'batch.json'
        ? 'salesOrderLines'
        : file === 'customer.json' || file === 'empty.json'
          ? 'customers'
          : file.replace(/\.json$/, '').replace(/^subscription$/, 'subscriptions');
    const set = catalog.entitySet(setName)!;
    const expected = (sample(file).value as unknown[] | undefined)?.length ?? (file === 'batch.json' ? 2 : 1);
    expect(records).toHaveLength(expected);
    for (const record of records) {
      const problems = contractProblems(catalog, set, record).filter((p) => !KNOWN_GAPS.includes(p));
      expect(problems).toEqual([]);
    }
    await connected.close();
  });

  it.each(Object.keys(notStandard))('%s: parses as a collection', async (file) => {
    const { connected, serve } = await sampleServer();
    serve(file);
    const records = await notStandard[file]!(connected);
    expect(records.length).toBe((sample(file).value as unknown[]).length);
    await connected.close();
  });

  it('the contract check itself catches wrong names, types and expanded children', () => {
    const customers = catalog.entitySet('customers')!;
    expect(
      contractProblems(catalog, customers, {
        number: 7,
        nmber: 'x',
        blocked: 'Nope',
        lastModifiedDateTime: '2026-01-01',
      }),
    ).toEqual([
      'customers.number: 7 is not a valid Edm.String',
      'customers.nmber: not a property of customer',
      'customers.blocked: "Nope" is not a valid Microsoft.NAV.customerBlocked',
      'customers.lastModifiedDateTime: "2026-01-01" is not a valid Edm.DateTimeOffset',
    ]);
    const orders = catalog.entitySet('salesOrders')!;
    expect(contractProblems(catalog, orders, { salesOrderLines: [{ sequence: 'ten' }] })).toEqual([
      'salesOrders.salesOrderLines[0].sequence: "ten" is not a valid Edm.Int32',
    ]);
  });
});
