import { afterEach, describe, expect, it } from 'vitest';
import { type DemoShop, startDemoShop } from './demo-shop.js';

let shop: DemoShop;
afterEach(() => shop?.close());

const call = (method: string, path: string, body?: unknown, token = 'demo-token') =>
  fetch(`${shop.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('demo shop', () => {
  it('creates (201), updates (200), reads and pages products with bearer auth', async () => {
    shop = await startDemoShop(0);
    expect((await call('GET', '/products', undefined, 'wrong')).status).toBe(401);
    expect((await call('PUT', '/products/A-1', { name: 'Bike' })).status).toBe(201);
    const updated = await call('PUT', '/products/A-1', { name: 'E-bike' });
    expect(updated.status).toBe(200);
    expect(await updated.json()).toEqual({ sku: 'A-1', name: 'E-bike' });
    for (let i = 2; i <= 3; i++) await call('PUT', `/products/A-${i}`, { name: `P${i}` });
    const first = await call('GET', '/products?limit=2');
    expect(((await first.json()) as unknown[]).length).toBe(2);
    expect(first.headers.get('link')).toMatch(/page=2&limit=2>; rel="next"/);
    expect((await call('GET', '/products/nope')).status).toBe(404);
    expect((await call('PUT', '/products/A-9', [1])).status).toBe(400);
  });
});
