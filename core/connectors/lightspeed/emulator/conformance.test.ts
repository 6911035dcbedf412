/**
 * Every answer of the emulator against Lightspeed's OpenAPI: each GET the spec describes, called for every record
 * of the demo store (lists page by page, single records by id), and the answers of writes, validated against the
 * 200/201 schema the spec gives for that path. A path the emulator serves that the spec does not name fails too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLightspeedSpec } from '../../../../scripts/generate-lightspeed-catalog.js';
import { call } from '../../emulator-kit/test-client.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, startLightspeedEmulator } from './index.js';
import { OpenApiSchemas } from './openapi-check.js';

type Json = Record<string, unknown>;

let ls: LightspeedEmulator;
let spec: Json;
let schemas: OpenApiSchemas;
const auth = { authorization: `Bearer ${LIGHTSPEED_DEMO.personalToken}`, 'content-type': 'application/json' };

beforeAll(async () => {
  ls = await startLightspeedEmulator({ size: { products: 12, customers: 6, sales: 8 } });
  spec = JSON.parse(await readLightspeedSpec()) as Json;
  schemas = new OpenApiSchemas(spec);
});
afterAll(() => ls.close());

/** The spec's path template of a concrete /api/2.0 path (`/products/{product_id}` for `/products/abc`). */
function template(path: string): string | undefined {
  const parts = path.split('/');
  return Object.keys(spec.paths as Json).find((t) => {
    const tp = t.split('/');
    return tp.length === parts.length && tp.every((p, i) => p.startsWith('{') || p === parts[i]);
  });
}

/** The spec's schema of the answer `status` of `method path`. */
function answerSchema(method: string, path: string, status: number): Json {
  const t = template(path);
  if (!t) throw new Error(`${method} ${path}: not a path of the spec`);
  const op = ((spec.paths as Json)[t] as Json)[method.toLowerCase()] as Json;
  const content = ((op.responses as Json)[String(status)] as Json | undefined)?.content as Json | undefined;
  return (content?.['application/json'] as Json).schema as Json;
}

async function conforms(method: string, path: string, body?: unknown): Promise<{ problems: string[]; json: Json }> {
  const answer = await call(`${ls.apiUrl}${path}`, { method, headers: auth, body: body === undefined ? undefined : JSON.stringify(body) }); // prettier-ignore
  if (answer.status >= 300) return { problems: [`${method} ${path}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`], json: {} }; // prettier-ignore
  const schema = answerSchema(method, path.split('?')[0]!, answer.status);
  const ref = typeof schema.$ref === 'string' ? schema.$ref.split('/').pop()! : undefined;
  const problems = ref ? schemas.check(ref, answer.body, `${method} ${path}`) : [];
  return { problems, json: answer.body as Json };
}

/** Every page of a list, by the version cursor. */
async function listProblems(path: string): Promise<{ problems: string[]; records: Json[] }> {
  const problems: string[] = [];
  const records: Json[] = [];
  let after = 0;
  for (;;) {
    const page = await conforms('GET', `${path}?page_size=5&after=${after}`);
    problems.push(...page.problems);
    const data = (page.json.data ?? []) as Json[];
    if (data.length === 0) return { problems, records };
    records.push(...data);
    after = (page.json.version as { max: number }).max;
  }
}

describe('Lightspeed emulator: answers conform to the OpenAPI', () => {
  it('finds what does not belong (the check itself)', () => {
    expect(schemas.check('Customer', { first_name: 'A', last_name: 7, balance: 'x' })).toEqual([
      'Customer.last_name: expected a string, got 7',
      'Customer.balance: expected a number, got "x"',
    ]);
    expect(schemas.check('Tax', { id: 'x' })).toContain('Tax.display_name: required by the spec, missing');
  });

  it('every list the spec has, page by page, and every record by its id', async () => {
    const found: string[] = [];
    const singles: Record<string, string> = { '/products': '/products/', '/customers': '/customers/', '/sales': '/sales/', '/outlets': '/outlets/', '/registers': '/registers/', '/brands': '/brands/', '/tags': '/tags/', '/product_types': '/product_types/', '/suppliers': '/suppliers/' }; // prettier-ignore
    let checked = 0;
    for (const path of [
      '/products',
      '/customers',
      '/sales',
      '/inventory',
      '/outlets',
      '/registers',
      '/taxes',
      '/payment_types',
      '/brands',
      '/tags',
      '/product_types',
      '/suppliers',
      '/customer_groups',
      '/users',
    ]) {
      // prettier-ignore
      const list = await listProblems(path);
      found.push(...list.problems);
      expect(list.records.length, path).toBeGreaterThan(0);
      if (!singles[path]) continue;
      for (const record of list.records) {
        found.push(...(await conforms('GET', `${singles[path]}${String(record.id)}`)).problems);
        checked++;
      }
    }
    for (const product of ls.store.active('products').slice(0, 5)) {
      found.push(...(await conforms('GET', `/products/${product.id}/inventory`)).problems);
    }
    for (const path of [
      '/retailer',
      '/user',
      '/search?type=products&sku=CUP-ESP',
      '/search?type=customers&email=anna.berg@example.com',
      '/search?type=sales&status=CLOSED',
    ]) {
      // prettier-ignore
      found.push(...(await conforms('GET', path)).problems);
    }
    expect(checked).toBeGreaterThan(60);
    expect(found).toEqual([]);
  });

  it('the answers of writes: customers created and updated, products created', async () => {
    const created = await conforms('POST', '/customers', { first_name: 'Ngaio', last_name: 'Marsh', email: 'ngaio@example.com', company_name: 'Crime Ltd' }); // prettier-ignore
    expect(created.problems).toEqual([]);
    const id = (created.json.data as Json).id as string;
    const updated = await conforms('PUT', `/customers/${id}`, { first_name: 'Ngaio', last_name: 'Marsh', phone: '+64 3 555 0199' }); // prettier-ignore
    expect(updated.problems).toEqual([]);
    // POST /products: the spec's schema says an array of objects, its example (and the API) an array of ids.
    const product = await call(`${ls.apiUrl}/products`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Tea Towel', sku: 'TOWEL-1', price_excluding_tax: 9 }) }); // prettier-ignore
    expect(product.body).toEqual({ data: [expect.stringMatching(/^[0-9a-f-]{36}$/)] });
    expect((await conforms('GET', `/products/${product.body.data[0]}`)).problems).toEqual([]);
  });

  it('variant attributes listed, read and created, and a variant family made with a new one', async () => {
    const list = await conforms('GET', '/variant_attributes');
    expect(list.problems).toEqual([]);
    const first = ((list.json.data as Json[])[0] as Json).id as string;
    expect((await conforms('GET', `/variant_attributes/${first}`)).problems).toEqual([]);
    const created = await call(`${ls.apiUrl}/variant_attributes`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Finish' }) }); // prettier-ignore
    expect(created.status).toBe(201);
    expect(schemas.check('VariantAttributeCreateResponse', created.body)).toEqual([]);
    const attribute = (created.body as { data: { id: string } }).data.id;
    const variants = ['OAK', 'ASH'].map((value) => ({ sku: `DESK-${value}`, price_excluding_tax: 400, variant_definitions: [{ attribute_id: attribute, value }] })); // prettier-ignore
    const family = await call(`${ls.apiUrl}/products`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Desk', variants }) }); // prettier-ignore
    for (const id of (family.body as { data: string[] }).data) {
      expect((await conforms('GET', `/products/${id}`)).problems).toEqual([]);
    }
    expect((await conforms('GET', '/search?type=products&sku=desk-ash')).problems).toEqual([]);
  });
});
