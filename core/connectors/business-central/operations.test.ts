/**
 * Every destination operation against the emulator, for a customer BC holds and one it does not: what is sent,
 * what each record's outcome says (the shared words of write-operations.ts) and what BC holds afterwards.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { FlowRecord, Outcome } from '../../engine/record.js';
import { record } from '../http/test-support.js';
import type { WriteOperation } from '../write-operations.js';
import { connect } from './connect.js';
import { createDestinationWriter } from './destination.js';
import { bcDestinationConfigSchema } from './descriptor.js';
import { BC_DEMO, type BcEmulator, startBcEmulator } from './emulator/index.js';
import { bcContext, fakeClock } from './test-support.js';

const USA = BC_DEMO.companies.usa.id;
const signal = new AbortController().signal;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(): Promise<{
  bc: BcEmulator;
  write: (op: WriteOperation, records: FlowRecord[]) => Promise<Outcome[]>;
}> {
  const bc = await startBcEmulator();
  cleanups.push(() => bc.close());
  const settings = {
    mode: 'online',
    tenant: BC_DEMO.tenantId,
    clientId: BC_DEMO.clientId,
    company: USA,
    authorityHost: bc.url,
    apiHost: bc.url,
  };
  const connected = await connect(bcContext(settings, { clientSecret: BC_DEMO.clientSecret }), {
    clock: fakeClock(),
    random: () => 0.5,
  });
  cleanups.push(() => connected.close());
  await connected.client.useCompany(USA, signal);
  return {
    bc,
    async write(operation, records) {
      const config = bcDestinationConfigSchema.parse({ entity: 'customers', operation, key: 'number' });
      const writer = createDestinationWriter(connected.client, config, async () => undefined);
      return writer.write(records, { dryRun: false, signal });
    },
  };
}

const customer = (bc: BcEmulator, number: string) =>
  bc.store.rows(USA, 'customers').find((r) => r.row.number === number)?.row;

describe('destination operations on Business Central', () => {
  it('create: a new record is created, one BC holds fails "already exists" with BC’s words', async () => {
    const { bc, write } = await setup();
    const existing = String(bc.store.rows(USA, 'customers')[0]!.row.number);
    const [made, duplicate] = await write('create', [
      record({ displayName: 'Fresh Ltd' }),
      record({ number: existing, displayName: 'Dup' }),
    ]);
    expect(made).toMatchObject({ status: 'created', result: { displayName: 'Fresh Ltd', number: expect.any(String) } }); // prettier-ignore
    const number = made?.status === 'created' ? String(made.result?.number) : '';
    expect(customer(bc, number)).toMatchObject({ displayName: 'Fresh Ltd' });
    expect(duplicate).toEqual({
      status: 'failed',
      error: expect.stringMatching(/^already exists: Internal_EntityWithSameKeyExists: /),
    });
    expect(customer(bc, existing)?.displayName).not.toBe('Dup');
  });

  it('createOnly: BC’s record is skipped "already exists" (with its id), a new one is created', async () => {
    const { bc, write } = await setup();
    const held = bc.store.rows(USA, 'customers')[0]!.row;
    const outcomes = await write('createOnly', [
      record({ number: String(held.number), displayName: 'Should not land' }),
      record({ number: 'NEW-1', displayName: 'New One' }),
    ]);
    expect(outcomes).toEqual([
      { status: 'skipped', reason: 'already exists', targetKey: held.id, result: { id: held.id, number: held.number } }, // prettier-ignore
      { status: 'created', targetKey: customer(bc, 'NEW-1')!.id, result: expect.objectContaining({ number: 'NEW-1' }) }, // prettier-ignore
    ]);
    expect(customer(bc, String(held.number))!.displayName).toBe(held.displayName);
  });

  it('update: by the record’s id; an id BC does not hold fails "does not exist"', async () => {
    const { bc, write } = await setup();
    const held = bc.store.rows(USA, 'customers')[0]!.row;
    const outcomes = await write('update', [
      record({ id: held.id, phoneNumber: '555-0100' }),
      record({ id: randomUUID(), phoneNumber: '555-0101' }),
      record({ number: 'NO-ID', phoneNumber: '555-0102' }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['updated', 'failed', 'failed']);
    expect((outcomes[1] as { error: string }).error).toMatch(/^does not exist: BadRequest_NotFound: /);
    expect((outcomes[2] as { error: string }).error).toBe("update of customers needs the record's id");
    expect(customer(bc, String(held.number))!.phoneNumber).toBe('555-0100');
  });

  it('updateOnly: found by key and updated without its create-only fields; a missing one is skipped', async () => {
    const { bc, write } = await setup();
    const held = bc.store.rows(USA, 'customers')[0]!.row;
    const update = record({ number: held.number, displayName: 'Keep me out', phoneNumber: '555-0199' });
    update.createOnly = ['displayName'];
    const outcomes = await write('updateOnly', [update, record({ number: 'GHOST', displayName: 'Ghost' })]);
    expect(outcomes).toEqual([
      { status: 'updated', targetKey: held.id, result: expect.objectContaining({ phoneNumber: '555-0199' }) },
      { status: 'skipped', reason: 'does not exist' },
    ]);
    expect(customer(bc, String(held.number))).toMatchObject({ displayName: held.displayName, phoneNumber: '555-0199' });
    expect(customer(bc, 'GHOST')).toBeUndefined();
  });

  it('upsert: updates the one BC holds, creates the other; create-only fields go only into the new one', async () => {
    const { bc, write } = await setup();
    const held = bc.store.rows(USA, 'customers')[0]!.row;
    const old = record({ number: held.number, displayName: 'Not on update', email: 'kept@example.com' });
    const fresh = record({ number: 'UPS-1', displayName: 'On create', email: 'new@example.com' });
    old.createOnly = fresh.createOnly = ['displayName'];
    const outcomes = await write('upsert', [old, fresh]);
    expect(outcomes.map((o) => o.status)).toEqual(['updated', 'created']);
    expect(customer(bc, String(held.number))).toMatchObject({ displayName: held.displayName, email: 'kept@example.com' }); // prettier-ignore
    expect(customer(bc, 'UPS-1')).toMatchObject({ displayName: 'On create', email: 'new@example.com' });
  });
});
