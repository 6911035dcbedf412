import type http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowRecord } from '../../engine/record.js';
import { type SeenRequest, closeAllServers, json, record, startServer } from '../http/test-support.js';
import { bcCatalog } from './catalog.js';
import { connect } from './connect.js';
import { testConnection } from './connection-test.js';
import { businessCentralConnector } from './index.js';
import { createDestinationWriter } from './destination.js';
import { bcDestinationConfigSchema } from './descriptor.js';
import { bcContext, fakeClock } from './test-support.js';

afterEach(closeAllServers);

const COMPANY = '11111111-1111-4111-8111-111111111111';
const ID = '22222222-2222-4222-8222-222222222222';
const signal = new AbortController().signal;

type Handler = (req: SeenRequest, res: http.ServerResponse) => void;

/** A scripted BC on premises (v2.0, Basic) and a connected client with a clock that never waits. */
async function scripted(handler: Handler, settings: Record<string, unknown> = {}) {
  const server = await startServer(handler);
  const clock = fakeClock();
  const connected = await connect(
    bcContext(
      {
        mode: 'on-premise',
        baseUrl: `${server.url}/BC`,
        apiVersion: 'v2.0',
        username: 'ADMIN',
        company: COMPANY,
        timeoutMs: 300,
        ...settings,
      },
      { password: 'access-key-123' },
    ),
    { clock, random: () => 0.5 },
  );
  await connected.client.useCompany(COMPANY, signal);
  return { server, clock, connected, client: connected.client };
}

async function readAll(client: Awaited<ReturnType<typeof scripted>>['client'], entity: string) {
  const out = [];
  for await (const page of client.pages(entity, { maxPageSize: 100, signal })) out.push(...page);
  return out;
}

const writer = (client: Awaited<ReturnType<typeof scripted>>['client'], config: Record<string, unknown>) =>
  createDestinationWriter(client, bcDestinationConfigSchema.parse(config), async () => undefined);
const write = (w: ReturnType<typeof writer>, records: FlowRecord[]) => w.write(records, { dryRun: false, signal });

describe('retries and backoff', () => {
  it('waits as Retry-After says (seconds, then an HTTP date) on 429 and 503, then reads on', async () => {
    let calls = 0;
    const { clock, client } = await scripted((req, res) => {
      calls++;
      if (calls === 1)
        return json(res, 429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'retry-after': '7' });
      if (calls === 2) {
        const at = new Date(clock.now() + 3000).toUTCString();
        return json(res, 503, { error: { code: 'Unavailable', message: 'queued too long' } }, { 'retry-after': at });
      }
      json(res, 200, { value: [{ id: ID, number: 'C1' }] });
    });
    expect(await readAll(client, 'customers')).toEqual([{ id: ID, number: 'C1' }]);
    // The HTTP date has second precision: up to 999 ms less than 3 s.
    expect(clock.sleeps[0]).toBe(7000);
    expect(clock.sleeps[1]).toBeGreaterThan(2000);
    expect(clock.sleeps[1]).toBeLessThanOrEqual(3000);
    expect(client.transport.throttled).toBe(1);
  });

  it('backs off exponentially with full jitter when no Retry-After is given', async () => {
    let calls = 0;
    const { clock, client } = await scripted((req, res) => {
      if (++calls < 4) return json(res, 429, {});
      json(res, 200, { value: [] });
    });
    await readAll(client, 'customers');
    // random() = 0.5 of 1 s, 2 s, 4 s.
    expect(clock.sleeps).toEqual([500, 1000, 2000]);
  });

  it('retries a read whose connection was reset, never a write', async () => {
    let gets = 0;
    const { server, client } = await scripted((req, res) => {
      if (req.method === 'GET' && ++gets === 1) return res.socket?.destroy();
      if (req.method === 'POST') return res.socket?.destroy();
      json(res, 200, { value: [{ id: ID }] });
    });
    expect(await readAll(client, 'customers')).toHaveLength(1);
    const outcomes = await write(writer(client, { entity: 'items', batchSize: 1 }), [
      record({ displayName: 'no key' }),
    ]);
    expect(outcomes).toEqual([
      {
        status: 'failed',
        error: expect.stringMatching(/connection reset by the server: may have been created; not sent again/),
      },
    ]);
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });
});

describe('writes whose fate is unknown are checked before they are sent again', () => {
  it('a create that timed out but exists is reported created, without a second POST', async () => {
    const { server, client } = await scripted((req, res) => {
      if (req.method === 'POST') return; // never answers: the client times out after 300 ms
      expect(decodeURIComponent(req.url)).toContain("$filter=number eq 'C-9'");
      json(res, 200, { value: [{ id: ID, number: 'C-9', '@odata.etag': 'W/"1"' }] });
    });
    const outcomes = await write(writer(client, { entity: 'customers', batchSize: 1 }), [
      record({ number: 'C-9', displayName: 'Nine' }),
    ]);
    // The record found is what BC holds: it is the answer chained writes see.
    const result = { id: ID, number: 'C-9', '@odata.etag': 'W/"1"' };
    expect(outcomes).toEqual([{ status: 'created', targetKey: ID, result }]);
    expect(server.requests.map((r) => r.method)).toEqual(['POST', 'GET']);
  });

  it('a batch that timed out: records found are created, the others are sent again once', async () => {
    let batches = 0;
    const { server, client } = await scripted((req, res) => {
      if (req.url.endsWith('$batch')) {
        if (++batches === 1) return; // timeout
        const { requests } = JSON.parse(req.body) as { requests: { id: string; body: { number: string } }[] };
        return json(res, 200, {
          responses: requests.map((r) => ({ id: r.id, status: 201, body: { id: ID, number: r.body.number } })),
        });
      }
      const found = decodeURIComponent(req.url).includes("'A'") ? [{ id: COMPANY, number: 'A' }] : [];
      json(res, 200, { value: found });
    });
    const outcomes = await write(writer(client, { entity: 'customers' }), [
      record({ number: 'A' }),
      record({ number: 'B' }),
    ]);
    expect(outcomes).toEqual([
      { status: 'created', targetKey: COMPANY, result: { id: COMPANY, number: 'A' } },
      { status: 'created', targetKey: ID, result: { id: ID, number: 'B' } },
    ]);
    const second = JSON.parse(server.requests.filter((r) => r.url.endsWith('$batch'))[1]!.body) as {
      requests: unknown[];
    };
    expect(second.requests).toHaveLength(1);
  });

  it('an update that timed out and already holds the values is done; one that does not is sent again', async () => {
    let patches = 0;
    let applied = false; // whether the timed-out PATCH "reached" BC
    const { server, client } = await scripted((req, res) => {
      if (req.method === 'PATCH' && ++patches !== 2) return; // the 1st and 3rd time out
      if (req.method === 'PATCH') return json(res, 200, { id: ID, displayName: 'New', '@odata.etag': 'W/"3"' });
      json(res, 200, { id: ID, displayName: applied ? 'Newer' : 'Old', '@odata.etag': 'W/"2"' });
    });
    const w = writer(client, { entity: 'customers', operation: 'update', batchSize: 1 });
    expect(await write(w, [record({ id: ID, displayName: 'New', '@odata.etag': 'W/"1"' })])).toEqual([
      { status: 'updated', targetKey: ID, result: { id: ID, displayName: 'New', '@odata.etag': 'W/"3"' } },
    ]);
    const patchesSent = server.requests.filter((r) => r.method === 'PATCH');
    expect(patchesSent.map((r) => r.headers['if-match'])).toEqual(['W/"1"', 'W/"2"']);
    applied = true;
    expect(await write(w, [record({ id: ID, displayName: 'Newer', '@odata.etag': 'W/"2"' })])).toEqual([
      { status: 'updated', targetKey: ID, result: { id: ID, displayName: 'Newer', '@odata.etag': 'W/"2"' } },
    ]);
    expect(server.requests.filter((r) => r.method === 'PATCH')).toHaveLength(3);
  });
});

describe('conflicts and errors', () => {
  it('on 409 Request_EntityChanged re-reads the etag and patches once more; a second conflict fails', async () => {
    let patches = 0;
    const conflict = {
      error: {
        code: 'Request_EntityChanged',
        message: 'Another user has already changed the record.  CorrelationId:  9d1f3b7a-1111-4a2b-9c3d-123456789abc.',
      },
    };
    const { client } = await scripted((req, res) => {
      if (req.method === 'GET') return json(res, 200, { id: ID, '@odata.etag': `W/"fresh${patches}"` });
      patches++;
      if (req.headers['if-match'] === 'W/"fresh1"') return json(res, 200, { id: ID, '@odata.etag': 'W/"after"' });
      json(res, 409, conflict);
    });
    const w = writer(client, { entity: 'customers', operation: 'update', batchSize: 1 });
    expect(await write(w, [record({ id: ID, displayName: 'X', '@odata.etag': 'W/"stale"' })])).toEqual([
      { status: 'updated', targetKey: ID, result: { id: ID, '@odata.etag': 'W/"after"' } },
    ]);
    patches = 5; // the re-read etag will not be accepted: still a conflict
    const [failed] = await write(w, [record({ id: ID, displayName: 'Y', '@odata.etag': 'W/"stale"' })]);
    expect(failed).toEqual({
      status: 'failed',
      error:
        'Request_EntityChanged: Another user has already changed the record. (HTTP 409, correlation id 9d1f3b7a-1111-4a2b-9c3d-123456789abc)',
    });
  });

  it('stops the run with the cause named on 401 and on an unknown company', async () => {
    const { client } = await scripted((req, res) => {
      if (req.url.includes('customers')) {
        return json(res, 400, { error: { code: 'Internal_CompanyNotFound', message: 'The company does not exist.' } });
      }
      json(res, 401, {
        error: {
          code: 'Authentication_InvalidCredentials',
          message: 'The server has rejected the client credentials.',
        },
      });
    });
    await expect(readAll(client, 'customers')).rejects.toThrow(
      /^company not found \(GET .*\): check the company setting/,
    );
    await expect(client.companies(signal)).rejects.toThrow(/bad credentials .*the server refused user "ADMIN"/);
  });
});

it('sends each v2.0 record to a v1.0 server in the v1.0 shape', async () => {
  const { server, client } = await scripted(
    (req, res) =>
      json(res, 201, {
        id: ID,
        number: 'C1',
        address: { street: 'Main 1', city: 'Oslo', state: '', countryLetterCode: 'NO', postalCode: '0150' },
      }),
    { apiVersion: 'v1.0' },
  );
  expect(client.catalog).toBe(bcCatalog('v1.0'));
  const outcomes = await write(writer(client, { entity: 'customers', batchSize: 1 }), [
    record({ number: 'C1', addressLine1: 'Main 1', city: 'Oslo', country: 'NO' }),
  ]);
  // BC14's answer comes back in the v2.0 shape the flow works with.
  const result = expect.objectContaining({ id: ID, number: 'C1', addressLine1: 'Main 1', city: 'Oslo', country: 'NO' });
  expect(outcomes).toEqual([{ status: 'created', targetKey: ID, result }]);
  expect(server.requests[0]!.url).toBe(`/BC/api/v1.0/companies(${COMPANY})/customers`);
  expect(JSON.parse(server.requests[0]!.body)).toEqual({
    number: 'C1',
    address: { street: 'Main 1', city: 'Oslo', countryLetterCode: 'NO' },
  });
});

it('online: a token the API refuses right after it was fetched is not renewed in a loop (app not set up in BC)', async () => {
  const server = await startServer((req, res) => {
    if (req.url.includes('/oauth2/v2.0/token')) return json(res, 200, { access_token: 'tok-1', expires_in: 3599 });
    json(res, 401, {
      error: { code: 'Authentication_InvalidCredentials', message: 'The server has rejected the client credentials.' },
    });
  });
  const settings = {
    tenant: 'contoso.example',
    clientId: 'app-1',
    company: COMPANY,
    authorityHost: server.url,
    apiHost: server.url,
  };
  const result = await testConnection(bcContext(settings, { clientSecret: 'app-secret-1' }), { clock: fakeClock() });
  expect(result).toMatchObject({ ok: false, message: expect.stringContaining('page "Microsoft Entra Applications"') });
  expect(server.requests.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
    'POST /contoso.example/oauth2/v2.0/token',
    'GET /v2.0/contoso.example/Production/api/v2.0/companies',
  ]);
  expect(server.requests[0]!.body).toContain('scope=https%3A%2F%2Fapi.businesscentral.dynamics.com%2F.default');
});

it('on premises: a 404 of the API while OData answers is told apart from a wrong instance', async () => {
  const server = await startServer((req, res) => {
    if (req.url === '/BC/ODataV4/') return json(res, 200, { value: [] });
    res.writeHead(404, { 'content-type': 'text/html' }).end('<html><body>Not Found</body></html>');
  });
  const settings = {
    mode: 'on-premise',
    baseUrl: `${server.url}/BC`,
    apiVersion: 'v1.0',
    username: 'ADMIN',
    company: COMPANY,
  };
  const disabled = await testConnection(bcContext(settings, { password: 'access-key-123' }), { clock: fakeClock() });
  expect(disabled.message).toMatch(
    /^the API is not enabled \(HTTP 404 GET .*\/BC\/api\/v1\.0\/companies\) while OData web services answer: enable API services/,
  );
  const elsewhere = await testConnection(
    bcContext({ ...settings, baseUrl: `${server.url}/BC999` }, { password: 'access-key-123' }),
    {
      clock: fakeClock(),
    },
  );
  expect(elsewhere.message).toMatch(
    /^not found \(HTTP 404 GET .*\/BC999\/api\/v1\.0\/companies\): check the server instance/,
  );
});

it('a node on a connection without a company is refused before any request', async () => {
  const server = await startServer((_req, res) => json(res, 500, {}));
  const settings = { mode: 'on-premise', baseUrl: `${server.url}/BC`, username: 'ADMIN' };
  const ctx = bcContext(settings, { password: 'access-key-123' });
  await expect(businessCentralConnector.source!.open({ entity: 'items' }, ctx)).rejects.toThrow(
    'connection "BC" names no company: run Test connection and choose one of the companies',
  );
  expect(server.requests).toEqual([]);
});
