import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The token the example workspace's "Shop API" connection uses against the demo shop. */
export const DEMO_SHOP_TOKEN = 'demo-token';
export const DEMO_SHOP_PORT = 4010;
const MAX_BODY = 1024 * 1024;

type Product = Record<string, unknown> & { sku: string };

export interface DemoShop {
  server: Server;
  url: string;
  products: Map<string, Product>;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY) throw new Error('body too large');
  }
  return JSON.parse(text || 'null');
}

/**
 * A small REST shop (products by SKU) for demos and trainings: bearer auth, 201 on create / 200 on update, page +
 * limit paging with a Link header, JSON errors like real APIs. Listens on 127.0.0.1 only.
 */
export async function startDemoShop(port = DEMO_SHOP_PORT, token = DEMO_SHOP_TOKEN): Promise<DemoShop> {
  const products = new Map<string, Product>();
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (req.headers.authorization !== `Bearer ${token}`) {
        return send(res, 401, { error: 'unauthorized', message: 'missing or wrong bearer token' });
      }
      const match = /^\/api\/products(?:\/([^/]+))?$/.exec(url.pathname);
      if (!match) return send(res, 404, { error: 'not_found', message: `no route ${url.pathname}` });
      const sku = match[1] ? decodeURIComponent(match[1]) : undefined;
      if (req.method === 'GET' && !sku) {
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, 500);
        const page = Math.max(Number(url.searchParams.get('page') ?? 1) || 1, 1);
        const all = [...products.values()];
        const items = all.slice((page - 1) * limit, page * limit);
        const more = page * limit < all.length;
        const next = `<${url.origin}/api/products?page=${page + 1}&limit=${limit}>; rel="next"`;
        return send(
          res,
          200,
          items,
          more ? { Link: next.replace('http://127.0.0.1', `http://${req.headers.host}`) } : {},
        );
      }
      if (req.method === 'GET' && sku) {
        const found = products.get(sku);
        return found ? send(res, 200, found) : send(res, 404, { error: 'not_found', message: `no product ${sku}` });
      }
      if (req.method === 'PUT' || req.method === 'PATCH' || req.method === 'POST') {
        const body = await readJson(req).catch(() => undefined);
        if (!body || typeof body !== 'object' || Array.isArray(body)) {
          return send(res, 400, { error: 'bad_request', message: 'expected a JSON object' });
        }
        const key = sku ?? String((body as Record<string, unknown>).sku ?? '');
        if (!key) return send(res, 422, { error: 'invalid', message: 'sku is required' });
        const existing = products.get(key);
        const next = { ...(req.method === 'PATCH' ? existing : {}), ...(body as object), sku: key } as Product;
        products.set(key, next);
        return send(res, existing ? 200 : 201, next);
      }
      return send(res, 405, { error: 'method_not_allowed', message: `${req.method} is not supported here` });
    })().catch(() => send(res, 500, { error: 'internal' }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://127.0.0.1:${actual}/api`,
    products,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
