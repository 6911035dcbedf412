import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleWorkspace, ferry } from '../cli/testing/cli-harness.js';
import { type DemoSystems, startDemoSystems } from './demo-systems.js';

/**
 * The demo workspace with its demo systems, as `npm start` runs them — on ports the OS picks (tests never take the
 * fixed demo ports), with the example connections pointed there as the only change.
 */
let demo: DemoSystems;
let ws: string;
let cleanup: () => Promise<void>;
let dataDir: string;

async function pointConnection(id: string, rewrite: (settings: Record<string, unknown>) => void): Promise<void> {
  const file = join(ws, `connections/${id}.connection.json`);
  const connection = JSON.parse(await readFile(file, 'utf8'));
  rewrite(connection.settings);
  await writeFile(file, JSON.stringify(connection, null, 2));
}

beforeEach(async () => {
  demo = await startDemoSystems({ shop: 0, bc: 0 });
  ({ ws, dataDir, cleanup } = await exampleWorkspace());
  await pointConnection('shop-api', (s) => (s.baseUrl = demo.urls.shop));
  await pointConnection('bc-demo', (s) => {
    s.apiHost = demo.urls.bc;
    s.authorityHost = demo.urls.bc;
  });
});
afterEach(async () => {
  await demo.close();
  await cleanup();
});

describe('demo systems', () => {
  it('start, say where they are, and carry the secrets of the example connections', () => {
    expect(demo.messages).toEqual([
      expect.stringMatching(/^Demo shop API at http:\/\/127\.0\.0\.1:\d+/),
      expect.stringMatching(/^Demo Business Central at http:\/\/127\.0\.0\.1:\d+ \(tenant cronus-demo/),
    ]);
    expect(Object.keys(demo.env).sort()).toEqual(['FERRY_SECRET_BC_DEMO_CLIENTSECRET', 'FERRY_SECRET_SHOP_API_TOKEN']);
  });

  it('run every example flow with nothing entered by hand', async () => {
    const env = { ...demo.env, FERRY_SECRETS: 'env', FERRY_DATA_DIR: dataDir };
    const stock = await ferry(['run', '.', 'stock-from-business-central'], { cwd: ws, env });
    expect(stock.stderr).toBe('');
    expect(stock.code).toBe(0);
    expect(stock.stdout).toMatch(/created 27 · updated 0 · unchanged 0 · skipped 0 · filtered 3 · failed 0/);
    const csv = (await readFile(join(ws, 'out/stock.csv'), 'utf8')).split('\n');
    expect(csv[0]).toBe('sku,name,category,price,inStock');
    expect(csv[1]).toMatch(/^1000,ATHENS Desk,DESK,[\d.]+,\d+$/);
    for (const flow of ['products-to-catalog', 'products-to-shop']) {
      const run = await ferry(['run', '.', flow], { cwd: ws, env });
      expect(run.code, `${flow}: ${run.stdout}${run.stderr}`).toBe(0);
    }
  });
});
