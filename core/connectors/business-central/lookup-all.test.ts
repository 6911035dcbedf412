/**
 * Lookups of every match on Business Central (`findAll`) against the emulator, with a server page size of 2 so the
 * answers of one `or` batch span several pages: every page is read, and the lines are grouped back per item.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RecordData } from '../../engine/record.js';
import { connect } from './connect.js';
import { bcLookupConfigSchema } from './descriptor.js';
import { BC_DEMO, type BcEmulator, startBcEmulator } from './emulator/index.js';
import { createLookupRuntime } from './lookup.js';
import { bcContext, fakeClock, recordingProxy } from './test-support.js';

const USA = BC_DEMO.companies.usa.id;
const signal = new AbortController().signal;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setUp() {
  const bc = await startBcEmulator({ maxPageSize: 2 });
  const proxy = await recordingProxy(bc.url, true);
  cleanups.push(
    () => bc.close(),
    () => proxy.close(),
  );
  const settings = { mode: 'online', tenant: BC_DEMO.tenantId, clientId: BC_DEMO.clientId, company: USA, authorityHost: proxy.url, apiHost: proxy.url }; // prettier-ignore
  const connected = await connect(bcContext(settings, { clientSecret: BC_DEMO.clientSecret }), { clock: fakeClock() });
  cleanups.push(() => connected.close());
  await connected.client.useCompany(USA, signal);
  const config = bcLookupConfigSchema.parse({ entity: 'salesOrderLines', fields: ['itemId', 'quantity', 'shippedQuantity'] }); // prettier-ignore
  const lookup = createLookupRuntime(connected.client, config, async () => undefined);
  return { bc, proxy, lookup };
}

/** The emulator's own sales order lines of an item: what BC holds, to compare the lookup's answers with. */
const linesOf = (bc: BcEmulator, itemId: unknown) =>
  bc.store
    .rows(USA, 'salesOrderLines')
    .map((r) => r.row)
    .filter((line) => line.itemId === itemId);

const shape = (lines: RecordData[]) =>
  lines.map((l) => `${String(l.itemId)}:${String(l.quantity)}:${String(l.shippedQuantity)}`).sort();

describe('Business Central lookup of every match', () => {
  it('follows @odata.nextLink to the last page and groups the lines back per item', async () => {
    const { bc, proxy, lookup } = await setUp();
    const items = bc.store.rows(USA, 'items').map((r) => r.row);
    const withLines = items.filter((item) => linesOf(bc, item.id).length > 0);
    const without = items.find((item) => linesOf(bc, item.id).length === 0)!;
    expect(withLines.length).toBeGreaterThan(2);
    expect(without).toBeDefined();
    // At least one item alone has more lines than a page holds: its matches must be gathered across pages.
    expect(withLines.some((item) => linesOf(bc, item.id).length > 2)).toBe(true);

    const asked = [...withLines, without].map((item) => ({ itemId: item.id }));
    const found = await lookup.findAll!([...asked, { itemId: 'not a guid' }], signal);
    expect(found).toHaveLength(asked.length + 1);
    asked.forEach((criteria, i) => {
      expect(shape(found[i]!), String(criteria.itemId)).toEqual(shape(linesOf(bc, criteria.itemId)));
    });
    expect(found.at(-2)).toEqual([]);
    expect(found.at(-1)).toEqual([]); // a value an Edm.Guid cannot hold is not asked: no matches

    const reads = proxy.exchanges.filter((e) => e.method === 'GET' && /\/salesOrderLines\?/.test(e.url));
    const total = withLines.reduce((n, item) => n + linesOf(bc, item.id).length, 0);
    // One `or` request, then one request per further page of 2.
    expect(reads).toHaveLength(Math.ceil(total / 2));
    expect(decodeURIComponent(reads[0]!.url)).toContain(`$filter=(itemId eq ${String(withLines[0]!.id)} or itemId eq`);
    expect(reads.slice(1).every((e) => e.url.includes('skiptoken'))).toBe(true);
  });

  it('gives every match of criteria on several fields, and find still the first', async () => {
    const { bc, lookup } = await setUp();
    const line = bc.store.rows(USA, 'salesOrderLines')[0]!.row;
    const sameOrder = bc.store
      .rows(USA, 'salesOrderLines')
      .map((r) => r.row)
      .filter((l) => l.documentId === line.documentId && l.lineType === 'Item');
    const criteria = [{ documentId: line.documentId, lineType: 'Item' }];
    const [all] = await lookup.findAll!(criteria, signal);
    expect(shape(all!)).toEqual(shape(sameOrder));
    const [first] = await lookup.find(criteria, signal);
    expect(sameOrder.map((l) => l.quantity)).toContain(first!.quantity);
  });
});
