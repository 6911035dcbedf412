/**
 * The emulator on its own: the demo store, the version cursor, writes as X-Series takes them (products with
 * variants, API 2.1 updates with common/details and inventory, customers, register_sales), the OAuth approval and
 * token endpoint with rotating refresh tokens, the rate limit with an HTTP-date Retry-After, faults and the data file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { call } from '../../emulator-kit/test-client.js';
import { approveInBrowser } from '../test-support.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, seedStoreData, startLightspeedEmulator } from './index.js';

let ls: LightspeedEmulator | undefined;
afterEach(async () => {
  await ls?.close();
  ls = undefined;
});

const bearer = (token: string = LIGHTSPEED_DEMO.personalToken) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json' }); // prettier-ignore
const api = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
  call(`${ls!.url}/api${path}`, { method: init.method ?? 'GET', headers: bearer(init.token), body: init.body === undefined ? undefined : JSON.stringify(init.body) }); // prettier-ignore
const form = (url: string, fields: Record<string, string>) =>
  call(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() }); // prettier-ignore

describe('the demo store', () => {
  it('is the same for the same seed: outlets, registers, a variant family, company customers, sales in many statuses', () => {
    const data = seedStoreData(7);
    expect(JSON.stringify(seedStoreData(7))).toBe(JSON.stringify(data));
    expect(JSON.stringify(seedStoreData(8))).not.toBe(JSON.stringify(data));
    const c = data.collections;
    expect(c.outlets.map((o) => o.name)).toEqual(LIGHTSPEED_DEMO.outlets);
    expect(c.registers).toHaveLength(4);
    const tees = c.products.filter((p) => p.name === 'Classic Tee');
    expect(tees.map((p) => p.sku)).toEqual(LIGHTSPEED_DEMO.skus.tees);
    const parent = tees.find((p) => p.has_variants)!;
    expect(tees.filter((p) => p.variant_parent_id === parent.id)).toHaveLength(5);
    expect(tees[4]).toMatchObject({ variant_name: 'Classic Tee / White / M', product_codes: [{ type: 'EAN', code: expect.any(String) }] }); // prettier-ignore
    expect(c.customers.filter((x) => x.company_name).length).toBeGreaterThanOrEqual(2);
    expect(new Set(c.sales.map((s) => s.status)).size).toBeGreaterThanOrEqual(6);
    expect(c.products.find((p) => p.sku === LIGHTSPEED_DEMO.skus.cup)!.image_url).toContain('espresso-cup.jpg');
  });
});

describe('the API', () => {
  it('pages by version: after, page_size, before; every write moves the record to a new, higher version', async () => {
    ls = await startLightspeedEmulator();
    const first = await api('/2.0/customers?page_size=3');
    expect(first.body.data).toHaveLength(3);
    expect(first.headers.get('x-ratelimit-limit')).toBe('1250');
    const next = await api(`/2.0/customers?page_size=3&after=${first.body.version.max}`);
    expect(next.body.data[0].version).toBeGreaterThan(first.body.version.max);
    const bounded = await api(`/2.0/customers?after=0&before=${first.body.data[2].version}`);
    expect(bounded.body.data.map((c: { id: string }) => c.id)).toEqual(first.body.data.slice(0, 2).map((c: { id: string }) => c.id)); // prettier-ignore
    const anna = first.body.data[0];
    const updated = await api(`/2.0/customers/${anna.id}`, { method: 'PUT', body: { first_name: 'Anna', last_name: 'Berg', note: 'VIP' } }); // prettier-ignore
    expect(updated.body.data.version).toBe(ls.store.data.version);
    const tail = await api(`/2.0/customers?after=${updated.body.data.version - 1}`);
    expect(tail.body.data.map((c: { note: string }) => c.note)).toEqual(['VIP']);
    expect((await api(`/2.0/customers/${anna.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await api('/2.0/customers?page_size=1000')).body.data.some((c: { id: string }) => c.id === anna.id)).toBe(false); // prettier-ignore
    expect((await api('/2.0/customers?page_size=1000&deleted=true')).body.data.find((c: { id: string }) => c.id === anna.id).deleted_at).toEqual(expect.any(String)); // prettier-ignore
    expect((await api('/2.0/customers?page_size=0')).body).toEqual({ error: 'Bad Request', message: 'page_size: expected an integer of at least 1' }); // prettier-ignore
  });

  it('creates products and variant families, updates them through API 2.1 (common for the family, details for one)', async () => {
    ls = await startLightspeedEmulator();
    const [outlet] = ls.store.active('outlets');
    const size = ls.store.active('variant_attributes').find((a) => a.name === 'Size')!;
    const created = await api('/2.0/products', { method: 'POST', body: { name: 'Rain Jacket', description: 'Dry', price_including_tax: 115, variants: [{ sku: 'RJ-S', variant_definitions: [{ attribute_id: size.id, value: 'S' }], inventory: [{ outlet_id: outlet!.id, current_amount: 4 }] }, { sku: 'RJ-M', variant_definitions: [{ attribute_id: size.id, value: 'M' }] }] } }); // prettier-ignore
    expect(created.body.data).toHaveLength(2);
    const [parent, child] = created.body.data.map((id: string) => ls!.store.get('products', id)!);
    expect(parent).toMatchObject({ has_variants: true, variant_parent_id: null, price_excluding_tax: 100, price_including_tax: 115 }); // prettier-ignore
    expect(child).toMatchObject({
      has_variants: false,
      variant_parent_id: parent!.id,
      variant_name: 'Rain Jacket / M',
    });
    expect(ls.store.inventory(parent!.id, outlet!.id)!.inventory_level).toBe(4);
    const update = await api(`/2.1/products/${child!.id}`, { method: 'PUT', body: { common: { description: 'Waterproof' }, details: { price_excluding_tax: 120, inventory: [{ outlet_id: outlet!.id, current_amount: 9, reorder_point: 2 }] } } }); // prettier-ignore
    expect(update.status).toBe(200);
    expect(ls.store.get('products', parent!.id)).toMatchObject({ description: 'Waterproof', price_excluding_tax: 100 });
    expect(ls.store.get('products', child!.id)).toMatchObject({ description: 'Waterproof', price_excluding_tax: 120 });
    expect(ls.store.inventory(child!.id, outlet!.id)).toMatchObject({ inventory_level: 9, reorder_point: 2 });
    const refusals = await Promise.all([
      api('/2.0/products', { method: 'POST', body: { name: 'X', price_including_tax: 1, price_excluding_tax: 1 } }),
      api('/2.0/products', { method: 'POST', body: { name: 'X', sku: 'RJ-S' } }),
      api('/2.0/products', { method: 'POST', body: { name: 'X', colour: 'red' } }),
      api(`/2.1/products/${child!.id}`, { method: 'PUT', body: { details: { name: 'Other' } } }),
      api(`/2.1/products/${child!.id}`, { method: 'PUT', body: { details: { inventory: [{ outlet_id: 'nope', current_amount: 1 }] } } }), // prettier-ignore
    ]);
    expect(refusals.map((r) => [r.status, r.body.message])).toEqual([
      [400, 'price_including_tax, price_excluding_tax: send one of them, not both'],
      [400, `sku: "RJ-S" is already the SKU of product ${parent!.id}`],
      [400, 'colour: unknown field'],
      [400, 'details.name: unknown field'],
      [400, 'details.inventory[0].outlet_id: no outlet nope'],
    ]);
  });

  it('creates variant attributes (201), refuses a second of one name and a missing name (422, the spec’s error answer)', async () => {
    ls = await startLightspeedEmulator({ size: { products: 0, customers: 0, sales: 0 } });
    const created = await api('/2.0/variant_attributes', { method: 'POST', body: { name: 'Finish' } });
    expect(created).toMatchObject({ status: 201, body: { data: { id: expect.any(String), name: 'Finish', created_at: expect.any(String) } } }); // prettier-ignore
    expect((await api('/2.0/variant_attributes', { method: 'POST', body: { name: 'finish' } })).status).toBe(422);
    expect((await api('/2.0/variant_attributes', { method: 'POST', body: { name: ' ' } })).status).toBe(422);
    expect((await api('/2.0/variant_attributes', { method: 'POST', body: { label: 'x' } })).status).toBe(400);
    const names = ((await api('/2.0/variant_attributes')).body as { data: { name: string }[] }).data.map((a) => a.name);
    expect(names).toEqual(['Size', 'Colour', 'Finish']);
  });

  it('takes sales through register_sales (0.9): created, updated by id, stock taken when completed', async () => {
    ls = await startLightspeedEmulator();
    const register = ls.store.active('registers')[2]!;
    const product = ls.store.active('products').find((p) => p.sku === LIGHTSPEED_DEMO.skus.cup)!;
    const tax = ls.store.active('taxes')[0]!;
    const cash = ls.store.active('payment_types')[0]!;
    const before = Number(ls.store.inventory(product.id, String(register.outlet_id))!.inventory_level);
    const sale = { register_id: register.id, user_id: ls.store.active('users')[0]!.id, status: 'CLOSED', invoice_number: 'WEB-9001', register_sale_products: [{ product_id: product.id, quantity: 2, price: 12, tax: 1.8, tax_id: tax.id }], register_sale_payments: [{ retailer_payment_type_id: cash.id, amount: 27.6 }] }; // prettier-ignore
    const created = await api('/register_sales', { method: 'POST', body: sale });
    expect(created.status).toBe(200);
    expect(created.body.register_sale).toMatchObject({ invoice_number: 'WEB-9001', status: 'CLOSED', totals: { total_price: 24, total_tax: 3.6, total_payment: 27.6, total_to_pay: 0 } }); // prettier-ignore
    expect(ls.store.inventory(product.id, String(register.outlet_id))!.inventory_level).toBe(before - 2);
    const id = created.body.register_sale.id;
    const note = await api('/register_sales', { method: 'POST', body: { id, note: 'Gift wrap' } });
    expect(note.body.register_sale).toMatchObject({ id, note: 'Gift wrap', invoice_number: 'WEB-9001' });
    const read = await api(`/2.0/sales/${id}`);
    expect(read.body.data).toMatchObject({ outlet_id: register.outlet_id, total_price: 24, note: 'Gift wrap', line_items: [{ product_id: product.id, quantity: 2 }] }); // prettier-ignore
    const bad = await api('/register_sales', { method: 'POST', body: { ...sale, status: 'DONE' } });
    expect([bad.status, bad.body.details]).toEqual([400, expect.stringContaining('status: expected one of SAVED, CLOSED')]); // prettier-ignore
  });
});

describe('sign-in', () => {
  const query = (extra: Record<string, string> = {}) => new URLSearchParams({ response_type: 'code', client_id: LIGHTSPEED_DEMO.clientId, redirect_uri: LIGHTSPEED_DEMO.redirectUri, state: 'xyz', ...extra }).toString(); // prettier-ignore
  const app = { client_id: LIGHTSPEED_DEMO.clientId, client_secret: LIGHTSPEED_DEMO.clientSecret };

  it('approval page → code (once) → tokens; each refresh token works once and its successor takes over', async () => {
    ls = await startLightspeedEmulator();
    const back = await approveInBrowser(`${ls.authorizeUrl}?${query()}`);
    expect([back.get('state'), back.get('domain_prefix')]).toEqual(['xyz', LIGHTSPEED_DEMO.domainPrefix]);
    const exchange = { ...app, grant_type: 'authorization_code', code: back.get('code')!, redirect_uri: LIGHTSPEED_DEMO.redirectUri }; // prettier-ignore
    const tokens = await form(ls.tokenUrl, exchange);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', expires_in: 604800, domain_prefix: LIGHTSPEED_DEMO.domainPrefix }); // prettier-ignore
    expect((await form(ls.tokenUrl, exchange)).body.error).toBe('invalid_grant');
    expect((await api('/2.0/retailer', { token: tokens.body.access_token })).body.data.name).toBe(LIGHTSPEED_DEMO.storeName); // prettier-ignore
    const refresh = (token: string) =>
      form(ls!.tokenUrl, { ...app, grant_type: 'refresh_token', refresh_token: token });
    const second = await refresh(tokens.body.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(tokens.body.refresh_token);
    expect((await refresh(tokens.body.refresh_token)).body.error).toBe('invalid_grant');
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
    expect((await form(ls.tokenUrl, { ...app, client_secret: 'wrong', grant_type: 'refresh_token', refresh_token: 'x' })).status).toBe(401); // prettier-ignore
    expect(ls.stats).toMatchObject({ codesIssued: 1, tokensIssued: 3, refreshes: 2, tokensRefused: 3 });
  });

  it('refuses an unknown redirect URI, says access_denied on Deny, and expired or unknown tokens get 401', async () => {
    ls = await startLightspeedEmulator({ accessTokenSeconds: 60 });
    expect((await call(`${ls.authorizeUrl}?${query({ redirect_uri: 'http://127.0.0.1:1/evil' })}`)).status).toBe(400);
    const denied = await approveInBrowser(`${ls.authorizeUrl}?${query()}`, false);
    expect([denied.get('error'), denied.get('code')]).toEqual(['access_denied', null]);
    expect((await api('/2.0/retailer', { token: 'made-up' })).status).toBe(401);
    const unauthenticated = await call(`${ls.apiUrl}/retailer`);
    expect([unauthenticated.status, unauthenticated.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
  });
});

describe('limits, faults and persistence', () => {
  it('allows perRegister × registers + base per window and per application; then 429 with an HTTP-date Retry-After', async () => {
    let now = Date.parse('2026-03-02T10:00:00.400Z');
    ls = await startLightspeedEmulator({ clock: () => now, rateLimits: { perRegister: 2, base: 1, windowMs: 10_000 } });
    expect(ls.rateLimit()).toBe(9);
    for (let i = 0; i < 9; i++) expect((await api('/2.0/outlets')).status).toBe(200);
    const refused = await api('/2.0/outlets');
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ error: 'Too Many Requests', message: 'Rate limiting enforced' });
    // The first request leaves the window at 10:00:10.4; HTTP dates have whole seconds, so 10:00:11.
    expect(refused.headers.get('retry-after')).toBe('Mon, 02 Mar 2026 10:00:11 GMT');
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0');
    const code = await approveInBrowser(`${ls.authorizeUrl}?${new URLSearchParams({ response_type: 'code', client_id: LIGHTSPEED_DEMO.clientId, redirect_uri: LIGHTSPEED_DEMO.redirectUri })}`); // prettier-ignore
    const tokens = await form(ls.tokenUrl, { grant_type: 'authorization_code', code: code.get('code')!, client_id: LIGHTSPEED_DEMO.clientId, client_secret: LIGHTSPEED_DEMO.clientSecret, redirect_uri: LIGHTSPEED_DEMO.redirectUri }); // prettier-ignore
    expect((await api('/2.0/outlets', { token: tokens.body.access_token })).status).toBe(200);
    now += 10_000;
    expect((await api('/2.0/outlets')).status).toBe(200);
    expect(ls.stats.rateLimited).toBe(1);
  });

  it('fails by the seeded fault knobs the same way each time', async () => {
    const statuses = async () => {
      ls = await startLightspeedEmulator({ faults: { seed: 3, errors: [{ status: 503, rate: 0.3 }] } });
      const seen = [];
      for (let i = 0; i < 20; i++) seen.push((await api('/2.0/taxes')).status);
      await ls.close();
      ls = undefined;
      return seen;
    };
    const first = await statuses();
    expect(first).toContain(503);
    expect(first).toContain(200);
    expect(await statuses()).toEqual(first);
  });

  it('keeps its data in a file across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ferry-ls-'));
    try {
      const dataFile = join(dir, 'store.json');
      ls = await startLightspeedEmulator({ dataFile });
      const created = await api('/2.0/customers', {
        method: 'POST',
        body: { first_name: 'Kept', last_name: 'Around' },
      });
      await ls.close();
      ls = await startLightspeedEmulator({ dataFile });
      expect(ls.store.get('customers', created.body.data.id)).toMatchObject({ name: 'Kept Around' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
