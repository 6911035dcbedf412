import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ConnectionError } from '../errors.js';
import type { DestinationWriter, SourceReader } from '../types.js';
import { httpConnector } from './index.js';
import {
  closeAllServers,
  collect,
  freePort,
  json,
  makeContext,
  record,
  startServer,
  testConnector,
} from './test-support.js';

afterEach(closeAllServers);

const live = { dryRun: false, signal: new AbortController().signal };

describe('http connector shape', () => {
  it('describes itself with form schemas carrying the secret and showWhen hints', () => {
    expect(httpConnector.requiresConnection).toBe(true);
    const d = httpConnector.descriptor;
    expect(d.id).toBe('http');
    expect(d.nodeKinds).toEqual(['source', 'destination']);
    const props = (d.connectionSchema as { properties: Record<string, Record<string, unknown>> }).properties;
    expect(props.password).toMatchObject({ secret: true, showWhen: { auth: 'basic' } });
    expect(props.token).toMatchObject({ secret: true, showWhen: { auth: 'bearer' } });
    expect(props.username).toMatchObject({ showWhen: { auth: 'basic' } });
    expect(d.sourceConfigSchema).toBeDefined();
    expect(d.destinationConfigSchema).toBeDefined();
  });

  it('validates connection settings and applies defaults', () => {
    const schema = httpConnector.connectionSettings!;
    expect(schema.parse({ baseUrl: 'https://api.example.com' })).toMatchObject({
      auth: 'none',
      timeoutMs: 30_000,
      proxy: 'system',
      allowUntrustedCertificates: false,
      testPath: '/',
    });
    expect(schema.safeParse({ baseUrl: 'ftp://x' }).success).toBe(false);
    expect(schema.safeParse({ baseUrl: 'https://u:p@x.example' }).success).toBe(false);
    expect(schema.safeParse({ baseUrl: 'https://x.example', auth: 'basic' }).success).toBe(false);
    expect(schema.safeParse({ baseUrl: 'https://x.example', concurrency: 26 }).success).toBe(false);
  });

  it('a missing secret is a ConnectionError naming the connection, field and env var', async () => {
    const ctx = makeContext({ baseUrl: 'http://127.0.0.1:1', auth: 'bearer' });
    const error = await httpConnector.source!.open({ path: '/x' }, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/connection "Test API" uses bearer auth but has no token stored/);
    expect((error as Error).message).toContain('FERRY_SECRET_TEST_API_TOKEN');
  });

  it('a node without a connection is a ConfigError', async () => {
    const ctx = { ...makeContext({}), connection: undefined };
    await expect(httpConnector.destination!.open({ path: '/x' }, ctx)).rejects.toBeInstanceOf(ConfigError);
  });
});

describe('http connection failures', () => {
  it('connection refused on every attempt → ConnectionError', async () => {
    const port = await freePort();
    const { connector, sleeps } = testConnector();
    const ctx = makeContext({ baseUrl: `http://127.0.0.1:${port}` });
    const writer = (await connector.destination!.open({ path: '/c' }, ctx)) as DestinationWriter;
    const error = await writer.write([record({})], live).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toBe(`cannot reach http://127.0.0.1:${port}/c: connection refused (4 attempts)`);
    expect(sleeps).toHaveLength(3);
  });

  it('a server that never answers → ConnectionError mentioning the timeout', async () => {
    const server = await startServer(() => {});
    const { connector } = testConnector();
    const ctx = makeContext({ baseUrl: server.url, timeoutMs: 200, retry: { maxAttempts: 2 } });
    const reader = (await connector.source!.open({ path: '/slow' }, ctx)) as SourceReader;
    const error = await collect(reader).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toMatch(/\/slow: timed out after 200 ms \(2 attempts\)$/);
    expect(server.requests).toHaveLength(2);
  });

  it('a TLS failure is a ConnectionError at once, without retries', async () => {
    const server = await startServer((_req, res) => json(res, 200, []));
    const { connector, sleeps } = testConnector();
    const ctx = makeContext({ baseUrl: `https://127.0.0.1:${server.port}` });
    const reader = (await connector.source!.open({ path: '/x' }, ctx)) as SourceReader;
    await expect(collect(reader)).rejects.toThrow(
      /^cannot reach https:\/\/127\.0\.0\.1:\d+\/x: TLS handshake failed: /,
    );
    expect(sleeps).toEqual([]);
  });
});

describe('http connection test', () => {
  it('reports the status and URL on success, sending the credentials', async () => {
    const server = await startServer((_req, res) => json(res, 200, { ok: true }));
    const { connector } = testConnector();
    const ctx = makeContext({ baseUrl: `${server.url}/api`, auth: 'bearer', testPath: '/me' }, { token: 'tok-abcdef' });
    const result = await connector.test!(ctx);
    expect(result).toEqual({
      ok: true,
      message: `HTTP 200 from ${server.url}/api/me`,
      details: ['content-type: application/json'],
    });
    expect(server.requests[0]!.headers.authorization).toBe('Bearer tok-abcdef');
  });

  it('explains 401, 403, 404 and other statuses', async () => {
    const server = await startServer((req, res) => {
      const status = Number(req.url.slice(1));
      json(res, status, { message: `status ${status}` });
    });
    const { connector, sleeps } = testConnector();
    const test = (testPath: string) =>
      connector.test!(makeContext({ baseUrl: server.url, auth: 'bearer', testPath }, { token: 'tok-abcdef' }));
    expect((await test('/401')).message).toMatch(/^bad credentials \(HTTP 401 GET .*\): check the token of connection/);
    expect((await test('/403')).message).toMatch(/^missing permission \(HTTP 403 GET /);
    expect((await test('/404')).message).toBe(`wrong URL or path (HTTP 404 from ${server.url}/404): status 404`);
    const failed = await test('/503');
    expect(failed).toEqual({ ok: false, message: `HTTP 503 from ${server.url}/503: status 503` });
    expect(sleeps).toEqual([]); // the test button tries once
  });

  it('reports an unreachable host and a missing secret as ok: false', async () => {
    const port = await freePort();
    const refused = await httpConnector.test!(makeContext({ baseUrl: `http://127.0.0.1:${port}` }));
    expect(refused).toEqual({ ok: false, message: `cannot reach http://127.0.0.1:${port}/: connection refused` });
    const noSecret = await httpConnector.test!(
      makeContext({ baseUrl: 'http://127.0.0.1:1', auth: 'basic', username: 'u' }),
    );
    expect(noSecret.ok).toBe(false);
    expect(noSecret.message).toContain('FERRY_SECRET_TEST_API_PASSWORD');
  });
});
