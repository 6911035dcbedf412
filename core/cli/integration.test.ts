import { readFile, writeFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleWorkspace, ferry } from './testing/cli-harness.js';

interface Received {
  method: string;
  url: string;
  auth: string | undefined;
  body: Record<string, unknown>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/** A shop API on 127.0.0.1 that records every request it receives. */
async function startShop(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer(async (req, res) => {
    const body = JSON.parse((await readBody(req)) || '{}');
    received.push({ method: req.method!, url: req.url!, auth: req.headers.authorization, body });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: body.sku }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/api`, received };
}

let ws: string;
let env: NodeJS.ProcessEnv;
let cleanup: () => Promise<void>;
let shop: Awaited<ReturnType<typeof startShop>>;
beforeEach(async () => {
  const w = await exampleWorkspace();
  ws = w.ws;
  cleanup = w.cleanup;
  env = { FERRY_DATA_DIR: w.dataDir, FERRY_SECRET_SHOP_API_TOKEN: 'tok-123' };
  shop = await startShop();
  const connFile = join(ws, 'connections/shop-api.connection.json');
  const conn = JSON.parse(await readFile(connFile, 'utf8'));
  conn.settings.baseUrl = shop.url;
  await writeFile(connFile, JSON.stringify(conn));
});
afterEach(async () => {
  await new Promise((r) => shop.server.close(r));
  await cleanup();
});

describe('CSV → map → filter → HTTP, then incremental', () => {
  it('sends exactly the mapped active records, then only the changed ones', async () => {
    const first = await ferry(['run', '.', 'products-to-shop'], { cwd: ws, env });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const inactive = ['5', '10', '15', '20'];
    const expectedSkus = Array.from({ length: 20 }, (_, i) => String(i + 1))
      .filter((id) => !inactive.includes(id))
      .map((id) => `SKU-${1000 + Number(id)}`);
    expect(shop.received.map((r) => r.url).sort()).toEqual(expectedSkus.map((s) => `/api/products/${s}`).sort());
    expect(new Set(shop.received.map((r) => r.method))).toEqual(new Set(['PUT']));
    expect(new Set(shop.received.map((r) => r.auth))).toEqual(new Set(['Bearer tok-123']));
    const trail = shop.received.find((r) => r.url === '/api/products/SKU-1001')!.body;
    expect(trail).toEqual({
      number: '1',
      sku: 'SKU-1001',
      displayName: 'Trail bike',
      description: 'Trail bike for everyday riding',
      unitPrice: 294.83,
      unitCost: 131.27,
      inventory: 166,
      category: 'Bikes',
      margin: 163.56,
      label: 'SKU-1001 TRAIL BIKE',
    });
    const helmet = shop.received.find((r) => r.url === '/api/products/SKU-1004')!.body;
    expect(helmet).toMatchObject({ description: 'Kids helmet, helmets range', margin: 28.02 });

    // Change two products (one becomes inactive), add one; re-run: only changed active records are sent.
    const csvFile = join(ws, 'data/products.csv');
    const lines = (await readFile(csvFile, 'utf8')).trimEnd().split('\n');
    lines[2] = lines[2]!.replace('69.83', '74.50').replace('2026-10-02T08:02:00Z', '2026-11-02T09:00:00Z');
    lines[3] = lines[3]!.replace('2026-10-03T08:03:00Z', '2026-11-02T09:01:00Z').replace(/,active$/, ',inactive');
    lines.push(
      '21,SKU-1021,Cargo bike,Cargo bike for families,2499,1400,3,Bikes,buyer21@example.com,NL,2026-11-03T10:00:00Z,active',
    );
    await writeFile(csvFile, `${lines.join('\n')}\n`);
    shop.received.length = 0;
    const second = await ferry(['run', '.', 'products-to-shop'], { cwd: ws, env });
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('created 0 · updated 2 · unchanged 0 · skipped 0 · filtered 1 · failed 0');
    expect(shop.received.map((r) => r.url)).toEqual(['/api/products/SKU-1002', '/api/products/SKU-1021']);
    expect(shop.received[0]!.body).toMatchObject({ unitPrice: 74.5, margin: 35.34 });
    expect(shop.received[1]!.body).toMatchObject({
      displayName: 'Cargo bike',
      margin: 1099,
      label: 'SKU-1021 CARGO BIKE',
    });

    shop.received.length = 0;
    const third = await ferry(['run', '.', 'products-to-shop'], { cwd: ws, env });
    expect(third.code).toBe(0);
    expect(shop.received).toEqual([]);
  });
});
