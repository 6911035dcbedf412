import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBcEmulator, type BcEmulator } from './server.js';
import { client, USA } from './test-support.js';

describe('Business Central emulator: API v1.0 on premises (BC14)', () => {
  let bc: BcEmulator;
  let v1: ReturnType<typeof client>;
  let v2: ReturnType<typeof client>;
  beforeAll(async () => {
    bc = await startBcEmulator();
    v1 = client(bc, 'onprem-v1');
    v2 = client(bc, 'onprem-v2');
  });
  afterAll(() => bc.close());
  const c = (p: string) => `companies(${USA})/${p}`;

  it('shows addresses as postal address objects and options as plain strings', async () => {
    const [customer] = (await v1.get(c("customers?$filter=number eq '10000'"))).body.value;
    expect(customer.address).toEqual({
      street: '100 Main Street',
      city: 'Atlanta',
      state: 'GA',
      countryLetterCode: 'US',
      postalCode: '31772',
    });
    expect(customer.blocked).toBe(' ');
    expect(customer.addressLine1).toBeUndefined();
    const filtered = await v1.get(c("customers?$filter=address/city eq 'Atlanta' and blocked eq ' '"));
    expect(filtered.body.value.length).toBeGreaterThan(0);
  });

  it('keys lines by quoted "<document id>-<sequence>" strings and ledger entries by entry number', async () => {
    const [order] = (await v1.get(c('salesOrders?$top=1&$expand=salesOrderLines'))).body.value;
    const line = order.salesOrderLines[0];
    expect(line.id).toBe(`${order.id}-${line.sequence}`);
    expect(line.lineDetails).toEqual({ number: expect.any(String), displayName: expect.any(String) });
    const one = await v1.get(c(`salesOrders(${order.id})/salesOrderLines('${line.id}')`));
    expect(one.status).toBe(200);
    expect(one.body['@odata.context']).toMatch(/salesOrders\([0-9a-f-]+\)\/salesOrderLines\/\$entity$/);
    const [entry] = (await v1.get(c('generalLedgerEntries?$top=1'))).body.value;
    expect(entry.id).toBe(1);
    expect(entry.postingDate).toMatch(/T00:00:00Z$/);
    expect((await v1.get(c('generalLedgerEntries(1)'))).body.description).toBe('Opening balance');
  });

  it('writes through the v1.0 shape into the same records the v2.0 endpoint shows', async () => {
    const created = await v1.post(c('customers'), {
      displayName: 'Tailspin Toys',
      blocked: 'Ship',
      address: { street: 'Line one\r\nLine two', city: 'Seattle', state: 'WA', countryLetterCode: 'US', postalCode: '98052' }, // prettier-ignore
    });
    expect(created.status).toBe(201);
    expect(created.body.address.street).toBe('Line one\r\nLine two');
    const flat = (await v2.get(c(`customers(${created.body.id})`))).body;
    expect(flat).toMatchObject({
      addressLine1: 'Line one',
      addressLine2: 'Line two',
      city: 'Seattle',
      blocked: 'Ship',
    });
    const patched = await v1.patch(c(`customers(${created.body.id})`), { address: { city: 'Redmond' } }, { 'If-Match': created.body['@odata.etag'] }); // prettier-ignore
    expect(patched.status).toBe(200);
    expect(patched.body.address).toMatchObject({ city: 'Redmond', street: 'Line one\r\nLine two' });
    const badMember = await v1.post(c('customers'), { displayName: 'X', address: { town: 'Nowhere' } });
    expect(badMember.status).toBe(400);
    expect(badMember.body.error.message).toMatch(/'town' does not exist on type 'Microsoft.NAV.postaladdresstype'/);
  });

  it('serves a v1.0 $metadata made from the v1.0 catalog', async () => {
    const metadata = await v1.get('$metadata');
    expect(metadata.body).toContain('<ComplexType Name="postaladdresstype">');
    expect(metadata.body).toContain('<EntitySet Name="salesOrderLines" EntityType="Microsoft.NAV.salesOrderLine" />');
  });
});

describe('Business Central emulator: persistence', () => {
  it('keeps changes in the data file across restarts (temp file + rename)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ferry-bc-'));
    const dataFile = path.join(dir, 'bc.json');
    try {
      const first = await startBcEmulator({ dataFile });
      const created = await client(first).post(`companies(${USA})/customers`, { displayName: 'Persisted Ltd.' });
      await first.close();
      expect(JSON.parse(await readFile(dataFile, 'utf8')).format).toBe('ferry-bc-emulator/1');

      const second = await startBcEmulator({ dataFile });
      try {
        const again = await client(second).get(`companies(${USA})/customers(${created.body.id})`);
        expect(again.body).toMatchObject({ displayName: 'Persisted Ltd.', number: created.body.number });
        expect(again.body['@odata.etag']).toBe(created.body['@odata.etag']);
        const next = await client(second).post(`companies(${USA})/customers`, { displayName: 'Next' });
        expect(next.body.number).not.toBe(created.body.number);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('seeds the same data for the same seed and size', async () => {
    const a = await startBcEmulator({ seed: 7 });
    const b = await startBcEmulator({ seed: 7 });
    try {
      const items = async (bc: BcEmulator) => (await client(bc).get(`companies(${USA})/items?$select=id,number,unitPrice`)).body.value; // prettier-ignore
      expect(await items(a)).toEqual(await items(b));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
