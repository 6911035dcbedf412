import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBcEmulator, type BcEmulator } from './server.js';
import { client, INTERNATIONAL, USA } from './test-support.js';

describe('Business Central emulator: reading', () => {
  let bc: BcEmulator;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    bc = await startBcEmulator({ size: { items: 10_000 } });
    api = client(bc);
  });
  afterAll(() => bc.close());

  it('pages 10,000 items through @odata.nextLink at the page size the client prefers', async () => {
    const ids = new Set<string>();
    let url: string | undefined = `companies(${USA})/items?$select=id,number`;
    let pages = 0;
    while (url) {
      const page = await api.get(url, { Prefer: 'odata.maxpagesize=1000' });
      expect(page.status).toBe(200);
      expect(page.headers.get('preference-applied')).toBe('odata.maxpagesize=1000');
      for (const item of page.body.value) ids.add(item.id);
      pages++;
      url = page.body['@odata.nextLink'];
    }
    expect(pages).toBe(10);
    expect(ids.size).toBe(10_000);
  });

  it('caps pages at the server maximum and carries $top across pages', async () => {
    const small = await startBcEmulator({ maxPageSize: 4 });
    try {
      const smallApi = client(small);
      const first = await smallApi.get(`companies(${USA})/customers?$top=6&$orderby=displayName`, {
        Prefer: 'odata.maxpagesize=50',
      });
      expect(first.headers.get('preference-applied')).toBe('odata.maxpagesize=4');
      expect(first.body.value).toHaveLength(4);
      const second = await smallApi.get(first.body['@odata.nextLink']);
      expect(second.body.value).toHaveLength(2);
      expect(second.body['@odata.nextLink']).toBeUndefined();
      const names = [...first.body.value, ...second.body.value].map((c: { displayName: string }) => c.displayName);
      expect(names).toEqual([...names].sort());
    } finally {
      await small.close();
    }
  });

  it('answers $select, $orderby, $skip, $top and $count like OData v4', async () => {
    const all = await api.get(`companies(${USA})/customers?$count=true&$orderby=number desc&$skip=1&$top=3&$select=number,displayName`); // prettier-ignore
    expect(all.status).toBe(200);
    expect(all.body['@odata.count']).toBe(20);
    expect(all.body['@odata.context']).toBe(`${api.root}/$metadata#companies(${USA})/customers(number,displayName)`);
    expect(all.body.value.map((c: { number: string }) => c.number)).toEqual(['80000', '70000', '60000']);
    expect(Object.keys(all.body.value[0])).toEqual(['@odata.etag', 'number', 'displayName']);
    const count = await api.get(`companies(${USA})/customers/$count?$filter=city eq 'Atlanta'`);
    expect(count.body).toBe(4);
  });

  it('expands contained lines and single navigations, with their own options', async () => {
    const orders = await api.get(`companies(${USA})/salesOrders?$top=2&$expand=salesOrderLines($select=sequence,quantity;$orderby=sequence desc),customer($select=number)`); // prettier-ignore
    expect(orders.status).toBe(200);
    for (const order of orders.body.value) {
      expect(order.customer).toEqual({ '@odata.etag': expect.any(String), number: order.customerNumber });
      const sequences = order.salesOrderLines.map((l: { sequence: number }) => l.sequence);
      expect(sequences.length).toBeGreaterThan(0);
      expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
      expect(Object.keys(order.salesOrderLines[0])).toEqual(['@odata.etag', 'sequence', 'quantity']);
    }
  });

  it('scopes by companies(<id>)/… or ?company=<id or name>, and says when a company is missing', async () => {
    const byPath = await api.get(`companies(${INTERNATIONAL})/customers`);
    const byId = await api.get(`customers?company=${INTERNATIONAL}`);
    const byName = await api.get(`customers?company=${encodeURIComponent('CRONUS International Ltd.')}`);
    expect(byPath.body.value).toHaveLength(6);
    expect(byId.body.value).toEqual(byPath.body.value);
    expect(byName.body.value).toEqual(byPath.body.value);
    expect(byId.body['@odata.context']).toBe(`${api.root}/$metadata#customers`);

    const missing = await api.get('companies(11111111-2222-4333-8444-555555555555)/customers');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('Internal_CompanyNotFound');
    const none = await api.get('customers');
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe('Internal_CompanyNotFound');
    expect(none.body.error.message).toMatch(/default company cannot be found.*CorrelationId: {2}[0-9a-f-]{36}\.$/);
  });

  it('reads one entity by its unquoted GUID key and answers 404 for unknown keys and segments', async () => {
    const list = await api.get(`companies(${USA})/items?$top=1`);
    const item = list.body.value[0];
    const one = await api.get(`companies(${USA})/items(${item.id})`);
    expect(one.body['@odata.context']).toBe(`${api.root}/$metadata#companies(${USA})/items/$entity`);
    expect(one.body.id).toBe(item.id);
    const unknown = await api.get(`companies(${USA})/items(00000000-0000-4000-8000-000000000000)`);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('BadRequest_NotFound');
    const segment = await api.get(`companies(${USA})/itemz`);
    expect(segment.status).toBe(404);
    expect(segment.body.error).toMatchObject({ code: 'BadRequest_ResourceNotFound' });
    const badOption = await api.get(`companies(${USA})/items?$select=nope`);
    expect(badOption.status).toBe(400);
    expect(badOption.body.error.message).toMatch(/Could not find a property named 'nope' on type 'Microsoft.NAV.item'/);
  });

  it('serves the companies, the service document and $metadata (v2.0: the captured spec)', async () => {
    const companies = await api.get('companies');
    expect(companies.body.value.map((c: { name: string }) => c.name)).toEqual([
      'CRONUS USA, Inc.',
      'CRONUS International Ltd.',
    ]);
    expect(companies.body.value[0]['@odata.etag']).toBeUndefined();
    const service = await api.get('');
    expect(service.body.value).toContainEqual({ name: 'salesOrders', kind: 'EntitySet', url: 'salesOrders' });
    const metadata = await api.get('$metadata');
    expect(metadata.headers.get('content-type')).toBe('application/xml');
    expect(metadata.body).toContain('<EntityType Name="salesOrder">');
  });
});
