import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bcSpecDir } from '../../../../scripts/generate-bc-catalog.js';
import { startBcEmulator, type BcEmulator } from './server.js';
import { client, USA } from './test-support.js';

describe('Business Central emulator: JSON $batch', () => {
  let bc: BcEmulator;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    bc = await startBcEmulator({ maxBatchOperations: 5 });
    api = client(bc, 'online');
  });
  afterAll(() => bc.close());

  it('runs each operation on its own: successes and errors side by side, dependsOn failures are 424', async () => {
    const [order] = (await api.get(`companies(${USA})/salesOrders?$top=1`)).body.value;
    const [customer] = (await api.get(`companies(${USA})/customers?$top=1`)).body.value;
    const batch = await api.post('$batch', {
      requests: [
        { id: 'r1', method: 'POST', url: `companies(${USA})/salesOrders(${order.id})/salesOrderLines`, headers: { 'Content-Type': 'application/json' }, body: { lineObjectNumber: '1000', quantity: 2 } }, // prettier-ignore
        { id: 'r2', method: 'PATCH', url: `companies(${USA})/customers(${customer.id})`, headers: { 'If-Match': 'W/"stale"' }, body: { displayName: 'x' } }, // prettier-ignore
        { id: 'r3', method: 'PATCH', url: `${api.root}/companies(${USA})/customers(${customer.id})`, headers: { 'If-Match': '*' }, body: { phoneNumber: '555' } }, // prettier-ignore
        { id: 'r4', method: 'GET', url: `companies(${USA})/customers(${customer.id})?$select=phoneNumber` },
        { id: 'r5', method: 'DELETE', url: `companies(${USA})/customers(${customer.id})`, dependsOn: ['r2'] },
      ],
    });
    expect(batch.status).toBe(200);
    const byId = Object.fromEntries(batch.body.responses.map((r: { id: string }) => [r.id, r]));
    expect(byId.r1.status).toBe(201);
    expect(byId.r1.headers.location).toMatch(/\/salesOrders\([0-9a-f-]+\)\/salesOrderLines\([0-9a-f-]+\)$/);
    expect(byId.r1.body['@odata.context']).toMatch(/salesOrderLines\/\$entity$/);
    expect(byId.r2.status).toBe(409);
    expect(byId.r2.body.error.code).toBe('Request_EntityChanged');
    expect(byId.r3.status).toBe(200);
    expect(byId.r4.body.phoneNumber).toBe('555');
    expect(byId.r5.status).toBe(424);
    expect((await api.get(`companies(${USA})/customers(${customer.id})`)).status).toBe(200);
  });

  it('answers in the shape of the captured BC response', async () => {
    const sample = JSON.parse(await readFile(`${bcSpecDir}/bc-v2.0/samples/batch.json`, 'utf8'));
    const [order] = (await api.get(`companies(${USA})/salesOrders?$top=1`)).body.value;
    const batch = await api.post('$batch', {
      requests: [{ id: 'r1', method: 'POST', url: `companies(${USA})/salesOrders(${order.id})/salesOrderLines`, body: { lineObjectNumber: '1000', quantity: 1 } }], // prettier-ignore
    });
    const [ours] = batch.body.responses;
    const [theirs] = sample.responses;
    expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
    expect(Object.keys(ours.headers).sort()).toEqual(Object.keys(theirs.headers).sort());
    expect(ours.headers['content-type']).toBe(theirs.headers['content-type']);
    expect(Object.keys(ours.body)).toEqual(Object.keys(theirs.body));
  });

  it('refuses more operations than allowed', async () => {
    const requests = Array.from({ length: 6 }, (_, i) => ({ id: `r${i}`, method: 'GET', url: 'companies' }));
    const batch = await api.post('$batch', { requests });
    expect(batch.status).toBe(400);
    expect(batch.body.error.message).toMatch(/contains 6 operations, more than the maximum of 5/);
    expect((await api.post('$batch', { nope: [] })).status).toBe(400);
  });
});
