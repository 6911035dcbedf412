import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DemoHarness, demoHarness } from './testing/demo-harness.js';

/**
 * A trainer's path through the contract, as the app takes it: "Start demo systems" in the open example workspace,
 * then the template's flow dry-run and run against the emulators, and the new records in the data browser. The
 * systems listen on ports the OS picks (FERRY_DEMO_PORTS=0), never the fixed demo ports.
 */
let h: DemoHarness;

beforeEach(async () => {
  h = await demoHarness();
});
afterEach(() => h.close());

const ok: DemoHarness['ok'] = (name, input) => h.ok(name, input);
const run = (flowId: string, dryRun: boolean) => h.run(flowId, { dryRun });

async function fails(name: string, input: unknown): Promise<{ code: string; message: string }> {
  const result = await h.call(name, input);
  if (result.ok) throw new Error(`${name} succeeded`);
  return result.error;
}

const bcItems = (limit = 50) => ok('browseDemoData', { system: 'business-central', entity: 'items', limit });

const TEMPLATE_FLOW = 'acumatica-stock-items-business-central-items';

describe('demo systems in the app', () => {
  it('say nothing runs before the start, and the data browser says to start them', async () => {
    const status = await ok('demoSystemsStatus', {});
    expect(status.systems.map((s) => [s.id, s.running])).toEqual([
      ['shop', false],
      ['business-central', false],
      ['acumatica', false],
      ['lightspeed', false],
    ]);
    expect(await fails('browseDemoData', { system: 'business-central', entity: 'items' })).toEqual({
      code: 'not-found',
      message: 'the demo Business Central is not running: start the demo systems first',
    });
    expect((await fails('demoEntities', { system: 'sap' })).message).toBe(
      'no demo system "sap" (expected one of shop, business-central, acumatica, lightspeed)',
    );
  });

  it('start, connect the open workspace, make the template flows, and run one end to end', async () => {
    await ok('openWorkspace', { dir: h.ws });
    const started = await ok('startDemoSystems', {});
    expect(started.systems.every((s) => s.running && s.url?.startsWith('http://127.0.0.1:'))).toBe(true);
    expect(started.messages).toEqual([
      expect.stringMatching(/^Pointed "Shop API" at http:\/\/127\.0\.0\.1:\d+\/api$/),
      expect.stringMatching(/^Pointed "Business Central \(demo\)" at http:\/\/127\.0\.0\.1:\d+$/),
      'Created the connection "Acumatica (demo)" (connections/acumatica-demo.connection.json)',
      'Created the connection "Lightspeed (demo)" (connections/lightspeed-demo.connection.json)',
      'Created the flow "Acumatica stock items → Business Central items" from the template ' +
        'acumatica-stock-items-to-bc-items',
      'Created the flow "Business Central inventory → Lightspeed" from the template bc-inventory-to-lightspeed',
      'Created the flow "Business Central items → Lightspeed products" from the template ' +
        'bc-items-to-lightspeed-products',
      'Created the flow "Lightspeed customers → Business Central customers" from the template ' +
        'lightspeed-customers-to-bc-customers',
      'Created the flow "Lightspeed orders → Business Central sales orders" from the template ' +
        'lightspeed-orders-to-bc-sales-orders',
    ]);
    expect(started.createdFlows).toContainEqual({
      id: TEMPLATE_FLOW,
      name: 'Acumatica stock items → Business Central items',
    });
    const connection = JSON.parse(await readFile(join(h.ws, 'connections/acumatica-demo.connection.json'), 'utf8'));
    expect(connection.secrets).toEqual({ password: { secret: 'examples/acumatica-demo/password' } });
    expect(JSON.stringify(connection)).not.toContain('Ferry-Demo-1');

    // Starting again changes nothing: the systems run, the connections are right, the flow exists.
    const again = await ok('startDemoSystems', {});
    expect(again).toMatchObject({ messages: [], createdFlows: [] });

    const seeded = await bcItems(100);
    expect(seeded.total).toBe(30);

    const dry = await run(TEMPLATE_FLOW, true);
    expect(dry.status).toBe('succeeded');
    expect(dry.summary?.counts).toMatchObject({ created: 35, updated: 0, failed: 0 });
    expect(await bcItems(100)).toEqual(seeded);

    const real = await run(TEMPLATE_FLOW, false);
    expect(real.summary?.counts).toMatchObject({ created: 35, updated: 0, filtered: 0, failed: 0 });
    const items = await bcItems(100);
    expect(items.total).toBe(65);
    // Newest first: the 35 items the run wrote lead; the 30 seeded ones follow, untouched.
    expect(items.rows.slice(35)).toEqual(seeded.rows);
    const stockItems = await ok('browseDemoData', { system: 'acumatica', entity: 'StockItem', limit: 500 });
    const expected = stockItems.rows
      .map((stock) => ({
        number: stock.InventoryID,
        displayName: stock.Description,
        unitPrice: stock.DefaultPrice,
        baseUnitOfMeasureCode: 'PCS',
        type: 'Inventory',
        generalProductPostingGroupCode: 'RETAIL',
        inventoryPostingGroupCode: 'RESALE',
        itemCategoryCode: '',
        blocked: false,
      }))
      .sort((a, b) => String(a.number).localeCompare(String(b.number)));
    const written = items.rows
      .slice(0, 35)
      .map((row) => Object.fromEntries(Object.keys(expected[0]!).map((k) => [k, row[k]])))
      .sort((a, b) => String(a.number).localeCompare(String(b.number)));
    expect(written).toEqual(expected);
    expect(written.map((w) => w.number)).toContain('AALEGO500');

    // Incremental: nothing changed in Acumatica since, so the next run reads nothing.
    const next = await run(TEMPLATE_FLOW, false);
    expect(next.summary?.counts).toMatchObject({ created: 0, updated: 0, failed: 0 });

    const entities = await ok('demoEntities', { system: 'business-central' });
    expect(entities).toContainEqual({ name: 'items', count: 65 });
    expect((await fails('browseDemoData', { system: 'shop', entity: 'orders' })).message).toBe(
      'no entity "orders" in shop (expected one of products)',
    );
  });

  it('without an open workspace, start the systems and say what to do next', async () => {
    const started = await ok('startDemoSystems', {});
    expect(started.systems.every((s) => s.running)).toBe(true);
    expect(started.messages).toEqual(['Open a workspace to get the demo connections and flows']);
  });
});
