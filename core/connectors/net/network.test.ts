import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpConnector } from '../http/index.js';
import { closeAllServers, collect, json, makeContext, startServer } from '../http/test-support.js';
import { NetworkScope, openHttp } from './http-factory.js';
import { httpConnectionSettingsSchema } from '../http/descriptor.js';
import { type TestCertificates, closeAll, makeCertificates, startHttpsServer, startProxy } from './test-servers.js';

let certs: TestCertificates;
beforeAll(async () => {
  certs = await makeCertificates();
});

const ENV_KEYS = ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'] as const;
const savedEnv = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
const clearProxyEnv = () => {
  for (const key of ENV_KEYS) delete process.env[key];
};
clearProxyEnv();
afterEach(async () => {
  clearProxyEnv();
  await closeAll();
  await closeAllServers();
});
afterAll(() => {
  for (const [key, value] of Object.entries(savedEnv)) if (value !== undefined) process.env[key] = value;
});

const test = (settings: Record<string, unknown>, secrets: Record<string, string> = {}) => {
  const ctx = makeContext(settings, secrets);
  return httpConnector.test!(ctx).then((result) => ({ result, logs: ctx.logs }));
};

describe('custom CA certificates', () => {
  it('without the CA: a precise certificate error naming the subject and the issuer', async () => {
    const server = await startHttpsServer(certs);
    const { result } = await test({ baseUrl: server.url });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(result.message).toContain('subject: CN=ferry-test.local, O=Ferry Tests');
    expect(result.message).toContain('issuer: CN=Ferry Test Root CA');
    expect(result.message).toMatch(/add the issuing CA certificate/);
    expect(server.hits).toBe(0);
  });

  it('with the CA PEM the request goes through (added to the default roots, not replacing them)', async () => {
    const server = await startHttpsServer(certs);
    const { result } = await test({ baseUrl: server.url, caCertificate: certs.caCert });
    expect(result).toMatchObject({ ok: true, message: `HTTP 200 from ${server.url}/` });
    expect(result.warnings).toBeUndefined();
    expect(server.hits).toBe(1);
  });

  it('skipping verification works only when chosen, and is reported in the test result and the log', async () => {
    const server = await startHttpsServer(certs);
    const { result, logs } = await test({ baseUrl: server.url, allowUntrustedCertificates: true });
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([expect.stringContaining('skips TLS certificate verification')]);
    expect(logs).toContainEqual(expect.stringMatching(/^warn .*skips TLS certificate verification/));
  });

  it('a host name the certificate does not name is reported with the names it does', async () => {
    // Trusted CA, but the certificate is for another host than the 127.0.0.1 we call.
    const other = await makeCertificates([{ type: 2, value: 'erp.corp.example' }]);
    const server = await startHttpsServer(other);
    const { result } = await test({ baseUrl: server.url, caCertificate: other.caCert });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('issued for another host name (ERR_TLS_CERT_ALTNAME_INVALID)');
    expect(result.message).toContain('names: DNS:erp.corp.example');
  });

  it('rejects text that is not a PEM certificate at validation', () => {
    const parsed = httpConnectionSettingsSchema.safeParse({ baseUrl: 'https://x.example', caCertificate: 'nope' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['caCertificate'] });
  });
});

describe('proxies', () => {
  const proxied = (proxyUrl: string, extra: Record<string, unknown> = {}) => ({
    proxy: 'custom',
    proxyUrl,
    proxyUsername: 'alice',
    ...extra,
  });

  it('sends plain http in absolute form through the proxy with Proxy-Authorization', async () => {
    const api = await startServer((_req, res) => json(res, 200, [{ id: 1 }]));
    const proxy = await startProxy({ username: 'alice', password: 'proxy-secret-1' });
    const ctx = makeContext({ baseUrl: api.url, ...proxied(proxy.url) }, { proxyPassword: 'proxy-secret-1' });
    const reader = await httpConnector.source!.open({ path: '/items' }, ctx);
    const pages = await collect(reader);
    await reader.close?.();
    expect(pages[0]!.records).toEqual([{ id: 1 }]);
    expect(proxy.seen).toEqual([`GET ${api.url}/items`]);
    // The proxy's credentials are for the proxy: the API never sees them.
    expect(api.requests[0]!.headers['proxy-authorization']).toBeUndefined();
  });

  it('tunnels https with CONNECT, verifying the server behind the proxy', async () => {
    const server = await startHttpsServer(certs);
    const proxy = await startProxy({ username: 'alice', password: 'proxy-secret-1' });
    const { result } = await test(
      { baseUrl: server.url, caCertificate: certs.caCert, ...proxied(proxy.url) },
      { proxyPassword: 'proxy-secret-1' },
    );
    expect(result.ok).toBe(true);
    expect(proxy.seen).toEqual([`CONNECT 127.0.0.1:${server.port}`]);
  });

  it('a certificate error behind a proxy still names the certificate (read through the tunnel)', async () => {
    const server = await startHttpsServer(certs);
    const proxy = await startProxy({ username: 'alice', password: 'proxy-secret-1' });
    const { result } = await test({ baseUrl: server.url, ...proxied(proxy.url) }, { proxyPassword: 'proxy-secret-1' });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('issuer: CN=Ferry Test Root CA');
  });

  it('bad proxy credentials → a clear 407 error for http and https, without the password', async () => {
    const api = await startServer((_req, res) => json(res, 200, {}));
    const server = await startHttpsServer(certs);
    const proxy = await startProxy({ username: 'alice', password: 'proxy-secret-1' });
    for (const baseUrl of [api.url, server.url]) {
      const { result } = await test(
        { baseUrl, caCertificate: certs.caCert, ...proxied(proxy.url) },
        { proxyPassword: 'wrong-password-9' },
      );
      expect(result.ok).toBe(false);
      expect(result.message).toContain(`the proxy ${proxy.url} refused the credentials (HTTP 407`);
      expect(result.message).toContain('connection "Test API"');
      expect(result.message).not.toContain('wrong-password-9');
    }
    expect(proxy.refused).toBe(2);
    expect(api.requests).toHaveLength(0);
  });

  it('a proxy username without a stored password names the environment variable', async () => {
    const { result } = await test({ baseUrl: 'http://127.0.0.1:1', ...proxied('http://127.0.0.1:2') });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('FERRY_SECRET_TEST_API_PROXYPASSWORD');
  });

  it('honours HTTP_PROXY when no proxy is configured, and NO_PROXY', async () => {
    const api = await startServer((_req, res) => json(res, 200, {}));
    const proxy = await startProxy();
    process.env.HTTP_PROXY = proxy.url;
    expect((await test({ baseUrl: api.url })).result.ok).toBe(true);
    expect(proxy.seen).toEqual([`GET ${api.url}/`]);

    process.env.NO_PROXY = 'localhost,127.0.0.1';
    expect((await test({ baseUrl: api.url })).result.ok).toBe(true);
    expect(proxy.seen).toHaveLength(1);
    expect(api.requests).toHaveLength(2);

    // proxy: none ignores the environment altogether.
    delete process.env.NO_PROXY;
    expect((await test({ baseUrl: api.url, proxy: 'none' })).result.ok).toBe(true);
    expect(proxy.seen).toHaveLength(1);
  });

  it('a custom proxy skips the hosts of its own bypass list', async () => {
    const api = await startServer((_req, res) => json(res, 200, {}));
    const proxy = await startProxy();
    const { result } = await test({ baseUrl: api.url, proxy: 'custom', proxyUrl: proxy.url, noProxy: '127.0.0.1' });
    expect(result.ok).toBe(true);
    expect(proxy.seen).toHaveLength(0);
  });
});

describe('timeouts and dispatchers', () => {
  it('a server that accepts but never answers times out after timeoutMs', async () => {
    await startServer(() => {});
    const api = await startServer(() => {});
    const started = Date.now();
    const { result } = await test({ baseUrl: api.url, timeoutMs: 150 });
    expect(result).toMatchObject({ ok: false });
    expect(result.message).toContain('timed out after 150 ms');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('a run scope caches one dispatcher per distinct network options and closes them', async () => {
    const scope = new NetworkScope();
    const ctx = { ...makeContext({}), network: scope };
    const a = await openHttp(ctx, { timeoutMs: 1000 }, 'a');
    const b = await openHttp(ctx, { timeoutMs: 1000 }, 'b');
    await openHttp(ctx, { timeoutMs: 2000 }, 'c');
    expect(scope.size).toBe(2);
    await a.close(); // owned by the run: a no-op
    expect(scope.size).toBe(2);
    await scope.close();
    expect(scope.size).toBe(0);
    await expect(b.fetch('http://127.0.0.1:1/', {})).rejects.toThrow();
  });
});
