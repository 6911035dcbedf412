/**
 * The client against the emulator: both URL shapes and auth kinds, paging over 10,000 items, delta, `$batch` with
 * per-operation errors, etag conflicts, throttling with and without the client's budget, and the failure messages
 * of OAuth and NTLM. Every exchange goes through a recording proxy and is checked against the catalog.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordData } from '../../engine/record.js';
import { record } from '../http/test-support.js';
import { bcCatalog } from './catalog.js';
import { type Connected, connect } from './connect.js';
import { testConnection } from './connection-test.js';
import { createDestinationWriter } from './destination.js';
import { bcDestinationConfigSchema } from './descriptor.js';
import { BC_DEMO, type BcEmulatorOptions, basicAuthScheme, ntlmAuthScheme, startBcEmulator } from './emulator/index.js';
import { type Exchange, bcContext, contractProblems, fakeClock, recordingProxy, urlProblems } from './test-support.js';

const USA = BC_DEMO.companies.usa.id;
const signal = new AbortController().signal;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function emulator(options: BcEmulatorOptions = {}) {
  const bc = await startBcEmulator(options);
  const proxy = await recordingProxy(bc.url, true);
  cleanups.push(
    () => bc.close(),
    () => proxy.close(),
  );
  return { bc, proxy };
}

const online = (url: string, extra: Record<string, unknown> = {}) => ({
  mode: 'online',
  tenant: BC_DEMO.tenantId,
  clientId: BC_DEMO.clientId,
  company: USA,
  authorityHost: url,
  apiHost: url,
  ...extra,
});
const onPremise = (url: string, extra: Record<string, unknown> = {}) => ({
  mode: 'on-premise',
  baseUrl: `${url}/${BC_DEMO.instance}`,
  apiVersion: 'v1.0',
  username: BC_DEMO.userName,
  company: USA,
  ...extra,
});

async function open(settings: Record<string, unknown>, secrets: Record<string, string>, clock = fakeClock()) {
  const connected = await connect(bcContext(settings, secrets), { clock, random: () => 0.5 });
  cleanups.push(() => connected.close());
  await connected.client.useCompany(String(settings.company), signal);
  return connected;
}

async function readAll(connected: Connected, entity: string, since?: string, maxPageSize = 1000) {
  const out: RecordData[] = [];
  for await (const page of connected.client.pages(entity, { since, maxPageSize, signal })) out.push(...page);
  return out;
}

/** Every request URL, request body and answered record of the exchanges, checked against the version's catalog. */
function contract(exchanges: Exchange[], version: 'v1.0' | 'v2.0'): string[] {
  const catalog = bcCatalog(version);
  const problems: string[] = [];
  const setOf = (url: string) => {
    const segments = url.split('?')[0]!.split(`/api/${version}/`)[1]?.split('/') ?? [];
    const last = segments.filter((s) => !s.startsWith('Microsoft.NAV.')).pop();
    const name = last ? /^(\w+)/.exec(last)?.[1] : undefined;
    return name ? catalog.entitySet(name) : undefined;
  };
  for (const exchange of exchanges) {
    if (exchange.url.includes('/oauth2/')) continue;
    const path = exchange.url.split(`/api/${version}/`)[1] ?? '';
    problems.push(...urlProblems(catalog, path));
    const set = setOf(exchange.url);
    const check = (body: unknown, s = set) => {
      if (!s || !body || typeof body !== 'object' || 'error' in body) return;
      const items = 'value' in body ? ((body as { value: RecordData[] }).value ?? []) : [body as RecordData];
      for (const item of items) problems.push(...contractProblems(catalog, s, item));
    };
    if (path.startsWith('$batch')) {
      const requests = (exchange.requestBody as { requests: { id: string; url: string; body?: unknown }[] }).requests;
      const answers = (exchange.responseBody as { responses: { id: string; body?: unknown }[] }).responses;
      for (const r of requests) {
        problems.push(...urlProblems(catalog, r.url));
        const s = setOf(`/api/${version}/${r.url}`);
        check(r.body, s);
        check(answers.find((a) => a.id === r.id)?.body, s);
      }
      continue;
    }
    if (exchange.method !== 'GET') check(exchange.requestBody);
    check(exchange.responseBody);
  }
  return problems;
}

describe('online (API v2.0, OAuth client credentials)', () => {
  it('tests the connection: companies and the environment version; one token for many requests', async () => {
    const { proxy } = await emulator();
    const result = await testConnection(bcContext(online(proxy.url), { clientSecret: BC_DEMO.clientSecret }));
    expect(result.ok).toBe(true);
    expect(result.message).toMatch(/^connected to environment "Production", Business Central \d+\.\d+/);
    expect(result.details).toEqual([
      expect.stringContaining(`(${BC_DEMO.companies.usa.id})`),
      expect.stringContaining(`(${BC_DEMO.companies.international.id})`),
    ]);
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret });
    await Promise.all(['customers', 'items', 'vendors', 'currencies'].map((set) => readAll(connected, set)));
    expect(proxy.exchanges.filter((e) => e.url.includes('/oauth2/v2.0/token'))).toHaveLength(1);
    expect(contract(proxy.exchanges, 'v2.0')).toEqual([]);
  });

  it('renews the token before it expires, and once more when the API refuses the cached one', async () => {
    const clock = fakeClock();
    let skew = 0; // the emulator's clock runs ahead of the client's by this much
    const { proxy } = await emulator({ tokenLifetimeSeconds: 900, clock: () => clock.now() + skew });
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret }, clock);
    const tokens = () => proxy.exchanges.filter((e) => e.url.includes('/oauth2/')).length;
    await readAll(connected, 'currencies');
    clock.time += 9 * 60_000; // 6 minutes left, outside the 5-minute renewal margin: reused
    await readAll(connected, 'currencies');
    expect(tokens()).toBe(1);
    clock.time += 2 * 60_000; // 4 minutes left: renewed before use
    await readAll(connected, 'currencies');
    expect(tokens()).toBe(2);
    skew = 60 * 60_000; // BC now finds the token expired while the client does not: 401, one new token, on
    expect(await readAll(connected, 'currencies')).not.toHaveLength(0);
    expect(tokens()).toBe(3);
    expect(proxy.exchanges.filter((e) => e.status === 401)).toHaveLength(1);
  });

  it('pages over 10,000 items with odata.maxpagesize and nextLink', async () => {
    const { proxy } = await emulator({ size: { items: 10_000 } });
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret });
    const items = await readAll(connected, 'items', undefined, 2000);
    expect(items).toHaveLength(10_000);
    expect(new Set(items.map((i) => i.id)).size).toBe(10_000);
    const gets = proxy.exchanges.filter((e) => e.url.includes('/items'));
    expect(gets).toHaveLength(5);
    expect(gets.every((e) => (e.responseBody as { value: unknown[] }).value.length === 2000)).toBe(true);
    expect(contract(proxy.exchanges, 'v2.0')).toEqual([]);
  });

  it('reads only what changed since the watermark (lastModifiedDateTime gt, unquoted)', async () => {
    let now = Date.parse('2026-05-01T08:00:00Z');
    const { bc, proxy } = await emulator({ clock: () => now });
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret });
    const all = await readAll(connected, 'customers');
    const watermark = all
      .map((c) => String(c.lastModifiedDateTime))
      .sort()
      .pop()!;
    now += 60_000;
    const [a, b] = bc.store.rows(USA, 'customers');
    for (const row of [a!, b!]) bc.store.update(USA, 'customers', String(row.row.id), { phoneNumber: '555-0100' });
    const changed = await readAll(connected, 'customers', watermark);
    expect(changed.map((c) => c.id).sort()).toEqual([a!.row.id, b!.row.id].sort());
    const last = decodeURIComponent(proxy.exchanges.at(-1)!.url);
    expect(last).toContain(`$filter=lastModifiedDateTime gt ${new Date(watermark).toISOString()}`);
    expect(last).toContain('$orderby=lastModifiedDateTime');
  });

  it('says what Entra ID refused: wrong secret, unknown app, unknown tenant', async () => {
    const { proxy } = await emulator();
    const wrong = await testConnection(bcContext(online(proxy.url), { clientSecret: 'not-the-secret' }));
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toMatch(
      /^Microsoft Entra ID refused the token request \(invalid_client\): AADSTS7000215: Invalid client secret provided\..* — check the client secret/,
    );
    expect(wrong.message).not.toContain('not-the-secret');
    const app = await testConnection(bcContext(online(proxy.url, { clientId: 'nope' }), { clientSecret: 'x-secret' }));
    expect(app.message).toContain('AADSTS700016');
    const environment = await testConnection(
      bcContext(online(proxy.url, { environment: 'Sandbox' }), { clientSecret: BC_DEMO.clientSecret }),
    );
    expect(environment.message).toMatch(/^not found \(HTTP 404 GET .*\): check the tenant and the environment name/);
    const tenant = await testConnection(
      bcContext(online(proxy.url, { tenant: 'nowhere.example' }), { clientSecret: 'x-secret' }),
    );
    expect(tenant.message).toMatch(/AADSTS90002: Tenant 'nowhere.example' not found.* — check the tenant id or domain/);
  });
});

describe('writes', () => {
  it('a $batch with successes and per-operation errors maps each answer to its record', async () => {
    const { bc, proxy } = await emulator();
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret });
    const config = bcDestinationConfigSchema.parse({ entity: 'customers' });
    const writer = createDestinationWriter(connected.client, config, async () => undefined);
    const outcomes = await writer.write(
      [
        record({ number: 'F-1', displayName: 'Ferry One', blocked: ' ' }),
        record({ number: '10000', displayName: 'Ferry Two' }), // BC refuses: that number exists
        record({ number: 'F-3', displayName: 'Ferry Three', addressLine1: 'Quay 3', country: 'NO' }),
        record({ number: 'F-4', displayName: 'x'.repeat(101) }), // refused before sending: too long
        record({ number: 'F-5', displayName: 'Ferry Five', blocked: 'Sometimes' }), // not a member of the enum
      ],
      { dryRun: false, signal },
    );
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'failed', 'created', 'failed', 'failed']);
    expect((outcomes[1] as { error: string }).error).toMatch(
      /^already exists: Internal_EntityWithSameKeyExists: .*No\.='10000'.* \(HTTP 400, correlation id [0-9a-f-]{36}\)$/,
    );
    expect(outcomes[3]).toEqual({
      status: 'failed',
      error: 'displayName: 101 characters, Business Central takes at most 100',
    });
    expect((outcomes[4] as { error: string }).error).toMatch(/^blocked: expected one of " ", "Ship", "Invoice", "All"/);
    const created = bc.store.rows(USA, 'customers').filter((r) => String(r.row.number).startsWith('F-'));
    expect(created.map((r) => [r.row.number, r.row.blocked]).sort()).toEqual([
      ['F-1', '_x0020_'],
      ['F-3', '_x0020_'],
    ]);
    const batches = proxy.exchanges.filter((e) => e.url.endsWith('$batch'));
    expect(batches).toHaveLength(1);
    expect((batches[0]!.requestBody as { requests: unknown[] }).requests).toHaveLength(3);
    expect(contract(proxy.exchanges, 'v2.0')).toEqual([]);
  });

  it('creates sales orders with their lines (deep insert), then runs shipAndInvoice on each', async () => {
    const { bc, proxy } = await emulator();
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret });
    const [customer] = bc.store.rows(USA, 'customers');
    const [item] = bc.store.rows(USA, 'items');
    const config = bcDestinationConfigSchema.parse({ entity: 'salesOrders', action: 'shipAndInvoice' });
    const writer = createDestinationWriter(connected.client, config, async () => undefined);
    const order = (qty: string) => ({
      customerNumber: customer!.row.number,
      externalDocumentNumber: `WEB-${qty}`,
      salesOrderLines: [{ lineType: 'Item', lineObjectNumber: item!.row.number, quantity: qty }],
    });
    const outcomes = await writer.write([record(order('2')), record(order('3'))], { dryRun: false, signal });
    expect(outcomes.map((o) => o.status)).toEqual(['created', 'created']);
    const ids = outcomes.map((o) => (o as { targetKey: string }).targetKey);
    // Shipped and invoiced: the orders are gone, posted invoices carry their external document numbers.
    expect(ids.map((id) => bc.store.get(USA, 'salesOrders', id))).toEqual([undefined, undefined]);
    const invoices = bc.store
      .rows(USA, 'salesInvoices')
      .filter((r) => String(r.row.externalDocumentNumber).startsWith('WEB-'));
    expect(invoices).toHaveLength(2);
    const operations = proxy.exchanges
      .filter((e) => e.url.endsWith('$batch'))
      .map((e) =>
        (e.requestBody as { requests: { method: string; url: string }[] }).requests.map(
          (r) => r.method + ' ' + r.url.split('/').pop(),
        ),
      );
    expect(operations).toEqual([
      ['POST salesOrders', 'POST salesOrders'],
      ['POST Microsoft.NAV.shipAndInvoice', 'POST Microsoft.NAV.shipAndInvoice'],
    ]);
    expect(contract(proxy.exchanges, 'v2.0')).toEqual([]);
  });

  it('a dry run plans creates and updates from the key index and sends no write', async () => {
    const { bc, proxy } = await emulator();
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret });
    const config = bcDestinationConfigSchema.parse({ entity: 'customers', operation: 'upsert', key: 'number' });
    const writer = createDestinationWriter(connected.client, config, async () => undefined);
    const existing = String(bc.store.rows(USA, 'customers')[0]!.row.number);
    const records = [
      record({ number: existing, displayName: 'Same' }),
      record({ number: 'NEW-1', displayName: 'New' }),
    ];
    const outcomes = await writer.write(records, { dryRun: true, signal });
    expect(outcomes).toEqual([{ status: 'updated' }, { status: 'created' }]);
    // The new key again, in a later batch: what the run would do is update the record it just created.
    const again = await writer.write([record({ number: 'NEW-1', displayName: 'Newer' })], { dryRun: true, signal });
    expect(again).toEqual([{ status: 'updated' }]);
    expect(proxy.exchanges.filter((e) => e.method !== 'GET' && !e.url.includes('/oauth2/'))).toEqual([]);
  });

  it('an etag conflict is re-read and retried once', async () => {
    const { bc, proxy } = await emulator();
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret });
    const [customer] = await readAll(connected, 'customers');
    const id = String(customer!.id);
    bc.store.update(USA, 'customers', id, { phoneNumber: '555-0199' }); // someone else, meanwhile
    const config = bcDestinationConfigSchema.parse({ entity: 'customers', operation: 'update' });
    const writer = createDestinationWriter(connected.client, config, async () => undefined);
    // The flow changes one field; the fields it does not send keep what the other user wrote.
    const stale = { id, '@odata.etag': customer!['@odata.etag'], displayName: 'Renamed by Ferry' };
    const outcomes = await writer.write([record(stale)], { dryRun: false, signal });
    const result = expect.objectContaining({ id, displayName: 'Renamed by Ferry', phoneNumber: '555-0199' });
    expect(outcomes).toEqual([{ status: 'updated', targetKey: id, result }]);
    expect(bc.store.get(USA, 'customers', id)!.row).toMatchObject({
      displayName: 'Renamed by Ferry',
      phoneNumber: '555-0199',
    });
    const batches = proxy.exchanges.filter((e) => e.url.endsWith('$batch'));
    expect(batches.map((b) => (b.responseBody as { responses: { status: number }[] }).responses[0]!.status)).toEqual([
      409, 200,
    ]);
  });
});

describe('limits', () => {
  const tight = { limits: { requestsPerWindow: 20, windowMs: 60_000 } };

  it('without the client budget the emulator throttles and the client backs off until it is through', async () => {
    const clock = fakeClock();
    const { bc, proxy } = await emulator({ ...tight, clock: clock.now, size: { items: 3000 } });
    const connected = await open(online(proxy.url), { clientSecret: BC_DEMO.clientSecret }, clock);
    expect(await readAll(connected, 'items', undefined, 100)).toHaveLength(3000);
    expect(bc.stats.throttled).toBeGreaterThan(0);
    expect(connected.client.transport.throttled).toBe(bc.stats.throttled);
  });

  it('with the budget on, the emulator never has to say 429 and never sees more than 5 at once', async () => {
    const clock = fakeClock();
    const { bc, proxy } = await emulator({ ...tight, clock: clock.now, size: { items: 3000 } });
    const settings = online(proxy.url, { requestBudget: { requests: 20, windowSeconds: 60 } });
    const connected = await open(settings, { clientSecret: BC_DEMO.clientSecret }, clock);
    const reads = ['items', 'customers', 'vendors', 'currencies', 'items', 'items', 'items'];
    const results = await Promise.all(reads.map((set) => readAll(connected, set, undefined, 100)));
    expect(results[0]).toHaveLength(3000);
    expect(bc.stats.throttled).toBe(0);
    expect(bc.stats.maxInFlight).toBeLessThanOrEqual(5);
    expect(clock.sleeps.length).toBeGreaterThan(0); // the budget waited instead
  });
});

describe('on premises (BC14, API v1.0)', () => {
  it('Basic with the web service access key: v1.0 records arrive in the v2.0 shape', async () => {
    const { proxy } = await emulator();
    const connected = await open(onPremise(proxy.url), { password: BC_DEMO.webServiceAccessKey });
    const customers = await readAll(connected, 'customers');
    expect(customers.length).toBeGreaterThan(0);
    expect(customers[0]).toHaveProperty('addressLine1');
    expect(customers[0]).not.toHaveProperty('address');
    expect(contract(proxy.exchanges, 'v1.0')).toEqual([]);
  });

  it('expanded v1.0 lines arrive in the v2.0 shape too', async () => {
    const { proxy } = await emulator();
    const connected = await open(onPremise(proxy.url), { password: BC_DEMO.password });
    const orders: RecordData[] = [];
    const query = { expand: ['salesOrderLines'], maxPageSize: 100, signal };
    for await (const page of connected.client.pages('salesOrders', query)) orders.push(...page);
    const lines = orders.flatMap((o) => o.salesOrderLines as RecordData[]);
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => typeof l.lineObjectNumber === 'string' && !('lineDetails' in l))).toBe(true);
    expect(orders[0]).toHaveProperty('sellToAddressLine1');
    expect(contract(proxy.exchanges, 'v1.0')).toEqual([]);
  });

  it('names the cause: wrong password, wrong instance, unknown company', async () => {
    const { proxy } = await emulator();
    const wrong = await testConnection(bcContext(onPremise(proxy.url), { password: 'nope-nope' }));
    expect(wrong.message).toMatch(/^bad credentials .*the server refused user "ADMIN"/);
    const instance = await testConnection(
      bcContext(onPremise(proxy.url, { baseUrl: `${proxy.url}/BC999` }), { password: BC_DEMO.password }),
    );
    expect(instance.message).toMatch(/check the server instance in the base URL/);
    const company = await testConnection(
      bcContext(onPremise(proxy.url, { company: 'Nope Inc.' }), { password: BC_DEMO.password }),
    );
    const none = await testConnection(
      bcContext(onPremise(proxy.url, { company: undefined }), { password: BC_DEMO.password }),
    );
    expect(none).toMatchObject({
      ok: false,
      message: expect.stringMatching(/\(2 companies\): choose the company, by id or name$/),
    });
    expect(none.details).toHaveLength(2);
    expect(company).toMatchObject({ ok: false, message: expect.stringContaining('company "Nope Inc." not found') });
    expect(company.details).toHaveLength(2);
  });

  it('Windows (NTLMv2) against the emulator: one handshake per socket, then reads; a wrong password named', async () => {
    const users = [{ userName: 'svc-ferry', password: 'W1ndows!pass', domain: 'CRONUS' }];
    const ntlm = ntlmAuthScheme(users);
    const { bc } = await emulator({ users, onPremAuth: [basicAuthScheme(users), ntlm] });
    // No proxy in between: NTLM authenticates the client's own socket.
    const windows = { auth: 'windows', domain: 'CRONUS', username: 'svc-ferry' };
    const result = await testConnection(bcContext(onPremise(bc.url, windows), { password: 'W1ndows!pass' }));
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining('as CRONUS\\svc-ferry') });
    const connected = await open(onPremise(bc.url, windows), { password: 'W1ndows!pass' });
    for (let i = 0; i < 3; i++) expect((await readAll(connected, 'customers')).length).toBeGreaterThan(0);
    // The test's handshake and the one of the client's single socket; every later request rode on it.
    expect(ntlm.gate.counters).toEqual({ negotiations: 2, authenticated: 2, refused: 0 });
    const wrong = await testConnection(bcContext(onPremise(bc.url, windows), { password: 'guess' }));
    expect(wrong.ok).toBe(false);
    expect(wrong.message).toMatch(/^bad credentials .*Windows authentication \(NTLM\) failed for CRONUS\\svc-ferry/);
    const basicOnly = await emulator();
    const refused = await testConnection(bcContext(onPremise(basicOnly.bc.url, windows), { password: 'W1ndows!pass' }));
    expect(refused.message).toBe(
      'Windows authentication (NTLM) failed: the server does not offer NTLM (Windows) authentication (it asks for: Basic)',
    );
  });
});
