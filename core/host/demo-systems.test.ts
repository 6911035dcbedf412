import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleWorkspace, ferry } from '../cli/testing/cli-harness.js';
import { MemorySecretStore, envSecretName } from '../secrets/secret-store.js';
import { DemoSystems, demoPorts, demoSystemRegistry } from './demo-systems.js';
import { prepareDemoWorkspace } from './demo-workspace.js';

/**
 * The demo systems as `npm start` and `ferry demo` run them — on ports the OS picks (tests never take the fixed
 * demo ports) — and the example workspace pointed at them by the same code that prepares the demo workspace.
 */
let demo: DemoSystems;
let ws: string;
let cleanup: () => Promise<void>;
let dataDir: string;

beforeEach(async () => {
  demo = new DemoSystems(demoPorts({ FERRY_DEMO_PORTS: '0' }));
  ({ ws, dataDir, cleanup } = await exampleWorkspace());
});
afterEach(async () => {
  await demo.close();
  await cleanup();
});

describe('demo systems', () => {
  it('start, say where they are and how to sign in', async () => {
    const states = await demo.start();
    expect(states.map((s) => s.message)).toEqual([
      expect.stringMatching(/^Demo shop API at http:\/\/127\.0\.0\.1:\d+\/api \(token "demo-token"\)$/),
      expect.stringMatching(/^Demo Business Central at http:\/\/127\.0\.0\.1:\d+ \(tenant cronus-demo/),
      expect.stringMatching(
        /^Demo Acumatica at http:\/\/127\.0\.0\.1:\d+\/MyStoreInstance \(tenant MyStore, user admin/,
      ),
      expect.stringMatching(/^Demo Lightspeed at http:\/\/127\.0\.0\.1:\d+ \(store Ferry Demo Store, domain prefix/),
    ]);
    expect(states.map((s) => s.connectionId)).toEqual(['shop-api', 'bc-demo', 'acumatica-demo', 'lightspeed-demo']);
    // Each one's records, newest first, for the data browser.
    for (const [system, entity] of [
      ['business-central', 'customers'],
      ['acumatica', 'Customer'],
      ['lightspeed', 'products'],
    ]) {
      const count = demo
        .data(system!)!
        .entities()
        .find((e) => e.name === entity)?.count;
      expect(count, system).toBeGreaterThan(0);
      const page = demo.data(system!)!.page(entity!, { limit: 5, offset: 0 })!;
      expect(page).toMatchObject({ total: count });
      expect(page.rows).toHaveLength(5);
      expect(page.columns.length, system).toBeGreaterThan(3);
    }
    expect(demo.data('lightspeed')!.page('nope', { limit: 5, offset: 0 })).toBeUndefined();
    // A second start starts nothing twice.
    expect((await demo.start()).map((s) => s.url)).toEqual(states.map((s) => s.url));
  });

  it('run every example flow with nothing entered by hand', async () => {
    await demo.start();
    const prepared = await prepareDemoWorkspace(ws, demo.connections(), [], () => undefined);
    expect(prepared.messages).toHaveLength(4);
    const env: NodeJS.ProcessEnv = { FERRY_SECRETS: 'env', FERRY_DATA_DIR: dataDir };
    for (const c of demo.connections()) {
      for (const [field, value] of Object.entries(c.secrets)) env[envSecretName(c.id, field)] = value;
    }
    const stock = await ferry(['run', '.', 'stock-from-business-central'], { cwd: ws, env });
    expect(stock.stderr).toBe('');
    expect(stock.code).toBe(0);
    expect(stock.stdout).toMatch(/created 27 · updated 0 · unchanged 0 · skipped 0 · filtered 3 · failed 0/);
    const csv = (await readFile(join(ws, 'out/stock.csv'), 'utf8')).split('\n');
    expect(csv[0]).toBe('sku,name,category,price,inStock');
    expect(csv[1]).toMatch(/^1000,ATHENS Desk,DESK,[\d.]+,\d+$/);
    const lookupFlow = 'web-customers-update-or-create';
    for (const flow of ['products-to-catalog', 'products-to-shop', lookupFlow, 'web-customers-to-business-central']) {
      const run = await ferry(['run', '.', flow], { cwd: ws, env });
      expect(run.code, `${flow}: ${run.stdout}${run.stderr}`).toBe(0);
      // The lookup finds none of the web shop's customers by e-mail: all six are created.
      if (flow === lookupFlow) expect(run.stdout).toMatch(/created 6 · updated 0 · .*failed 0/);
    }
    // Again: the customers are found by e-mail now and updated, their Business Central numbers kept.
    const again = await ferry(['run', '.', lookupFlow], { cwd: ws, env });
    expect(again.stdout).toMatch(/created 0 · updated 6 · .*failed 0/);
    expect(demo.data('shop')?.entities()).toEqual([{ name: 'products', count: expect.any(Number) }]);
  });

  it('report a system whose port is taken plainly and start the others', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const busy = (blocker.address() as AddressInfo).port;
    try {
      const partial = new DemoSystems({ ...demoPorts({ FERRY_DEMO_PORTS: '0' }), 'business-central': busy });
      const states = await partial.start();
      await partial.close();
      expect(states.find((s) => s.id === 'business-central')).toEqual({
        id: 'business-central',
        name: 'Business Central',
        running: false,
        message: `The demo Business Central could not start: port ${busy} is in use (is another Ferry demo running?)`,
      });
      expect(states.filter((s) => s.running).map((s) => s.id)).toEqual(['shop', 'acumatica', 'lightspeed']);
    } finally {
      blocker.close();
    }
  });

  it('serve the running systems’ secrets in front of the store, by connection id and field', async () => {
    const store = new MemorySecretStore();
    await store.set('ws/bc-demo/clientSecret', 'mine');
    await store.set('ws/other/token', 'other');
    const secrets = demo.secretsOver(store);
    expect(await secrets.get('ws/bc-demo/clientSecret')).toBe('mine');
    await demo.start();
    expect(await secrets.get('ws/bc-demo/clientSecret')).toBe('ferry-demo-client-secret');
    expect(await secrets.get('any-workspace/acumatica-demo/password')).toBe('Ferry-Demo-1');
    expect(await secrets.get('ws/other/token')).toBe('other');
    await secrets.set('ws/new/field', 'x');
    expect(await store.get('ws/new/field')).toBe('x');
    expect(secrets.kind).toBe('memory');
  });
});

describe('demoPorts (FERRY_DEMO_PORTS)', () => {
  const fixed = Object.fromEntries(demoSystemRegistry.map((d) => [d.id, d.port]));

  it('are the fixed demo ports by default, all 0 with "0", or set per system', () => {
    expect(demoPorts({})).toEqual({ shop: 4010, 'business-central': 4020, acumatica: 4030, lightspeed: 4040 });
    expect(Object.values(demoPorts({ FERRY_DEMO_PORTS: '0' }))).toEqual([0, 0, 0, 0]);
    expect(demoPorts({ FERRY_DEMO_PORTS: 'acumatica=0, business-central=4120' })).toEqual({
      ...fixed,
      acumatica: 0,
      'business-central': 4120,
    });
  });

  it('refuse what they cannot read, naming the variable and what was expected', () => {
    expect(() => demoPorts({ FERRY_DEMO_PORTS: 'x' })).toThrow(
      'FERRY_DEMO_PORTS="x": expected a port number 0–65535, got "x"',
    );
    expect(() => demoPorts({ FERRY_DEMO_PORTS: 'sap=1' })).toThrow(
      'FERRY_DEMO_PORTS="sap=1": expected <system>=<port> with a system of shop, business-central, acumatica, ' +
        'lightspeed',
    );
    expect(() => demoPorts({ FERRY_DEMO_PORTS: 'acumatica=70000' })).toThrow('got "70000"');
  });
});
