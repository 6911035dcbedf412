import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ConnectionError } from '../errors.js';
import type { SourceReader } from '../types.js';
import { closeAllServers, collect, json, makeContext, startServer, testConnector } from './test-support.js';

afterEach(closeAllServers);

async function openSource(baseUrl: string, config: Record<string, unknown>, settings: Record<string, unknown> = {}) {
  const { connector, sleeps } = testConnector();
  const ctx = makeContext({ baseUrl, ...settings });
  const reader = (await connector.source!.open(config, ctx)) as SourceReader;
  return { reader, ctx, sleeps };
}

const ids = (pages: { records: Record<string, unknown>[] }[]) => pages.flatMap((p) => p.records.map((r) => r.id));

describe('http source paging', () => {
  it('reads a single array body without paging', async () => {
    const server = await startServer((_req, res) => json(res, 200, [{ id: 1 }, { id: 2 }]));
    const { reader } = await openSource(server.url, { path: '/items', key: 'id' });
    expect(reader.keyField).toBe('id');
    expect(ids(await collect(reader))).toEqual([1, 2]);
    expect(server.requests.map((r) => r.url)).toEqual(['/items']);
  });

  it('follows a nextLink in the body, resolving relative links against the current URL', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/v1/items') json(res, 200, { value: [{ id: 1 }], '@odata.nextLink': 'items?$skiptoken=2' });
      else if (req.url === '/v1/items?$skiptoken=2') json(res, 200, { value: [{ id: 2 }], '@odata.nextLink': null });
      else json(res, 404, {});
    });
    const { reader } = await openSource(`${server.url}/v1`, {
      path: 'items',
      recordsPath: 'value',
      paging: { kind: 'nextLink', path: '@odata.nextLink' },
    });
    expect(ids(await collect(reader))).toEqual([1, 2]);
    expect(server.requests).toHaveLength(2);
  });

  it('follows RFC 8288 Link headers with rel="next"', async () => {
    const server = await startServer((req, res) => {
      const page = Number(new URL(req.url, 'http://x').searchParams.get('p') ?? '1');
      const links = [`<${'/items?p=1'}>; rel="first"`];
      if (page < 3) links.push(`<http://127.0.0.1:${server.port}/items?p=${page + 1}>; rel="next last"`);
      json(res, 200, [{ id: page }], { link: links.join(', ') });
    });
    const { reader } = await openSource(server.url, { path: '/items', paging: { kind: 'linkHeader' } });
    expect(ids(await collect(reader))).toEqual([1, 2, 3]);
  });

  it('page paging sends page and size parameters and stops on a short page', async () => {
    const all = Array.from({ length: 5 }, (_, i) => ({ id: i + 1 }));
    const server = await startServer((req, res) => {
      const q = new URL(req.url, 'http://x').searchParams;
      const page = Number(q.get('pg'));
      const size = Number(q.get('per'));
      json(res, 200, { data: { items: all.slice(page * size, (page + 1) * size) } });
    });
    const { reader } = await openSource(server.url, {
      path: '/items',
      recordsPath: 'data.items',
      paging: { kind: 'page', param: 'pg', sizeParam: 'per', start: 0 },
      pageSize: 2,
    });
    expect(ids(await collect(reader))).toEqual([1, 2, 3, 4, 5]);
    expect(server.requests.map((r) => r.url)).toEqual(['/items?pg=0&per=2', '/items?pg=1&per=2', '/items?pg=2&per=2']);
  });

  it('page paging without a size parameter stops on an empty page', async () => {
    const server = await startServer((req, res) => {
      const page = Number(new URL(req.url, 'http://x').searchParams.get('page'));
      json(res, 200, page <= 2 ? [{ id: page * 10 }, { id: page * 10 + 1 }] : []);
    });
    const { reader } = await openSource(server.url, { path: '/items', paging: { kind: 'page' } });
    expect(ids(await collect(reader))).toEqual([10, 11, 20, 21]);
    expect(server.requests.map((r) => r.url)).toEqual(['/items?page=1', '/items?page=2', '/items?page=3']);
  });

  it('offset paging advances by the records read and stops on an empty page', async () => {
    const all = Array.from({ length: 6 }, (_, i) => ({ id: i }));
    const server = await startServer((req, res) => {
      const q = new URL(req.url, 'http://x').searchParams;
      const offset = Number(q.get('offset'));
      json(res, 200, all.slice(offset, offset + Number(q.get('limit'))));
    });
    const { reader } = await openSource(server.url, { path: '/items', paging: { kind: 'offset' }, pageSize: 3 });
    expect(ids(await collect(reader))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(server.requests.map((r) => r.url)).toEqual([
      '/items?offset=0&limit=3',
      '/items?offset=3&limit=3',
      '/items?offset=6&limit=3',
    ]);
  });

  it('splits an HTTP page larger than the engine page size and turns non-objects into failures', async () => {
    const server = await startServer((_req, res) => json(res, 200, [{ id: 1 }, { id: 2 }, 7, { id: 4 }, { id: 5 }]));
    const { reader } = await openSource(server.url, { path: '/items' });
    const pages = await collect(reader, 2);
    expect(pages.map((p) => p.records.length)).toEqual([2, 1, 1]);
    expect(pages[1]!.failures).toEqual([{ key: '3', error: 'expected a JSON object, got a number' }]);
  });

  it('is lazy: the next page is fetched only when pulled', async () => {
    const server = await startServer((req, res) => {
      const page = Number(new URL(req.url, 'http://x').searchParams.get('page'));
      json(res, 200, [{ id: page }]);
    });
    const { reader } = await openSource(server.url, { path: '/items', paging: { kind: 'page' } });
    const iterator = reader.pages({ pageSize: 10, signal: new AbortController().signal })[Symbol.asyncIterator]();
    await iterator.next();
    expect(server.requests).toHaveLength(1);
    await iterator.next();
    expect(server.requests).toHaveLength(2);
    await iterator.return?.();
  });
});

describe('http source placeholders and bodies', () => {
  it('fills {{since}} (URL-encoded) in the path and query', async () => {
    const server = await startServer((_req, res) => json(res, 200, []));
    const { reader } = await openSource(server.url, {
      path: '/changes/{{since}}',
      query: { $filter: 'modified gt {{since}}', top: '{{pageSize}}' },
      deltaField: 'modified',
      deltaOrdered: true,
    });
    expect(reader.delta).toEqual({ field: 'modified', ordered: true });
    await collect(reader, 100, '2024-01-02T03:04:05+01:00');
    const url = server.requests[0]!.url;
    expect(url).toBe(
      '/changes/2024-01-02T03%3A04%3A05%2B01%3A00?$filter=modified%20gt%202024-01-02T03%3A04%3A05%2B01%3A00&top=100',
    );
    expect(new URL(url, 'http://x').searchParams.get('$filter')).toBe('modified gt 2024-01-02T03:04:05+01:00');
  });

  it('leaves out a query parameter whose placeholder has no value (a full read)', async () => {
    const server = await startServer((_req, res) => json(res, 200, []));
    const { reader } = await openSource(server.url, {
      path: '/items',
      query: { since: '{{since}}', kind: 'all' },
    });
    await collect(reader);
    expect(server.requests[0]!.url).toBe('/items?kind=all');
  });

  it('rejects unknown placeholders when the config is validated', async () => {
    const { connector } = testConnector();
    const result = connector.source!.configSchema.safeParse({ path: '/x/{{sincee}}' });
    expect(result.success).toBe(false);
    await expect(
      connector.source!.open({ path: '/x/{{sincee}}' }, makeContext({ baseUrl: 'http://127.0.0.1:1' })),
    ).rejects.toThrow(/unknown placeholder \{\{sincee\}\}/);
  });

  it('explains a body that is not an array when recordsPath is missing or wrong', async () => {
    const server = await startServer((_req, res) => json(res, 200, { items: [{ id: 1 }], total: 1 }));
    const noPath = await openSource(server.url, { path: '/items' });
    await expect(collect(noPath.reader)).rejects.toThrow(ConfigError);
    await expect(collect(noPath.reader)).rejects.toThrow(/set recordsPath \(lists in it: items\)/);
    const wrongPath = await openSource(server.url, { path: '/items', recordsPath: 'data.items' });
    await expect(collect(wrongPath.reader)).rejects.toThrow(/recordsPath "data.items" is not in the response/);
  });

  it('sends basic credentials and configured headers', async () => {
    const server = await startServer((_req, res) => json(res, 200, []));
    const { connector } = testConnector();
    const ctx = makeContext(
      { baseUrl: server.url, auth: 'basic', username: 'ann', headers: { 'X-Tenant': 't1' } },
      { password: 'pa:ss wörd' },
    );
    await collect((await connector.source!.open({ path: '/items' }, ctx)) as SourceReader);
    const headers = server.requests[0]!.headers;
    expect(headers.authorization).toBe(`Basic ${Buffer.from('ann:pa:ss wörd').toString('base64')}`);
    expect(headers['x-tenant']).toBe('t1');
    expect(headers.accept).toBe('application/json');
  });

  it('sends a bearer token', async () => {
    const server = await startServer((_req, res) => json(res, 200, []));
    const { connector } = testConnector();
    const ctx = makeContext({ baseUrl: server.url, auth: 'bearer' }, { token: 'tok-123456' });
    await collect((await connector.source!.open({ path: '/items' }, ctx)) as SourceReader);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok-123456');
  });

  it('stops the run on 401 without echoing the token, and on 404 with a config error', async () => {
    const server = await startServer((req, res) => {
      if (req.url === '/missing') json(res, 404, { message: 'no such route' });
      else json(res, 401, { error: { message: 'token tok-123456 is expired' } });
    });
    const { connector } = testConnector();
    const ctx = makeContext({ baseUrl: server.url, auth: 'bearer' }, { token: 'tok-123456' });
    const reader = (await connector.source!.open({ path: '/items' }, ctx)) as SourceReader;
    const error = await collect(reader).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/^bad credentials \(HTTP 401 GET http:\/\/127\.0\.0\.1:\d+\/items\)/);
    expect((error as Error).message).toContain('token *** is expired');
    expect((error as Error).message).not.toContain('tok-123456');
    expect(ctx.logs.join('\n')).not.toContain('tok-123456');
    const missing = (await connector.source!.open({ path: '/missing' }, ctx)) as SourceReader;
    await expect(collect(missing)).rejects.toThrow(/HTTP 404 GET .*\/missing: wrong URL or path \(no such route\)/);
  });
});

describe('http source abort', () => {
  it('stops paging when the signal aborts between pages', async () => {
    const server = await startServer((req, res) => json(res, 200, [{ id: req.url }]));
    const { reader } = await openSource(server.url, { path: '/items', paging: { kind: 'page' } });
    const controller = new AbortController();
    const iterator = reader.pages({ pageSize: 10, signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    controller.abort();
    await expect(iterator.next()).rejects.toThrow(/abort/i);
    expect(server.requests).toHaveLength(1);
  });

  it('aborts a request in flight', async () => {
    const controller = new AbortController();
    const server = await startServer((req, res) => {
      if (req.url.endsWith('page=1')) json(res, 200, [{ id: 1 }]);
      else controller.abort(); // page 2 never answers; the abort must end the wait
    });
    const { reader } = await openSource(server.url, { path: '/items', paging: { kind: 'page' } });
    const iterator = reader.pages({ pageSize: 10, signal: controller.signal })[Symbol.asyncIterator]();
    await iterator.next();
    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(2);
  });

  it('aborts a backoff sleep', async () => {
    const controller = new AbortController();
    const server = await startServer((_req, res) => json(res, 503, {}, { 'retry-after': '30' }));
    const { createHttpConnector } = await import('./index.js');
    const ctx = makeContext({ baseUrl: server.url });
    // The real sleep: the 30 s Retry-After wait must end as soon as the run is cancelled.
    ctx.log.warn = (message) => {
      // setImmediate: abort once the sleep has started, not before it.
      if (message.includes('retrying in 30000 ms')) setImmediate(() => controller.abort());
    };
    const reader = (await createHttpConnector().source!.open({ path: '/items' }, ctx)) as SourceReader;
    const pages = reader.pages({ pageSize: 10, signal: controller.signal })[Symbol.asyncIterator]();
    await expect(pages.next()).rejects.toMatchObject({ name: 'AbortError' });
    expect(server.requests).toHaveLength(1);
  });
});
