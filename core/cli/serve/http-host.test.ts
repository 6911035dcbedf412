import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../model/contract.js';
import type { ApiHandlers } from '../../host/dispatch.js';
import { CONTENT_SECURITY_POLICY } from '../../host/security.js';
import { type HttpHost, startHttpHost } from './http-host.js';

let root: string;
let dir: string;
let host: HttpHost;
const listeners = new Set<(e: ApiEvent) => void>();

const handlers = {
  recentWorkspaces: async () => [{ dir: '/w', name: 'W', openedAt: '2026-01-01T00:00:00Z' }],
  cancelRun: async ({ runId }: { runId: string }) => ({ cancelled: runId === 'r1' }),
} as unknown as ApiHandlers;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-static-'));
  dir = join(root, 'renderer');
  await mkdir(join(dir, 'assets'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Ferry</title>');
  await writeFile(join(dir, 'assets/app.js'), 'console.log(1)');
  await writeFile(join(root, 'ferry-secret.txt'), 'secret');
  host = await startHttpHost({
    handlers,
    subscribe: (l) => (listeners.add(l), () => listeners.delete(l)),
    staticDir: dir,
  });
});
afterEach(async () => {
  await host.close();
  await rm(root, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** Raw requests (not fetch): the tests set Host and paths fetch would normalise. */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = () => ({ Authorization: `Bearer ${host.token}` });
const post = (name: string, body: unknown, headers: Record<string, string> = auth()) =>
  raw(`/api/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('ferry serve HTTP host', () => {
  it('listens on 127.0.0.1 and refuses requests without the token', async () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    expect((await raw('/')).status).toBe(401);
    expect((await post('recentWorkspaces', {}, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await raw('/api/events')).status).toBe(401);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the token', async () => {
    const reply = await raw('/', { headers: { ...auth(), Host: 'evil.example:80' } });
    expect(reply.status).toBe(421);
  });

  it('trades the URL token for an HttpOnly SameSite cookie and serves the app with the CSP', async () => {
    const first = await raw(`/?token=${host.token}`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(first.headers['set-cookie']![0]).toMatch(/HttpOnly; SameSite=Strict/);
    const page = await raw('/', { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(page.body).toContain('<title>Ferry</title>');
    const asset = await raw('/assets/app.js', { headers: { Cookie: cookie } });
    expect(asset.headers['content-type']).toMatch(/^text\/javascript/);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of ['/../ferry-secret.txt', '/assets/../../ferry-secret.txt', '/%2e%2e/ferry-secret.txt']) {
      const reply = await raw(path, { headers: auth() });
      expect(reply.body).not.toContain('secret');
    }
  });

  it('serves the contract: validated input, error codes as HTTP statuses', async () => {
    const ok = await post('recentWorkspaces', {});
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual([{ dir: '/w', name: 'W', openedAt: '2026-01-01T00:00:00Z' }]);
    const bad = await post('cancelRun', { runId: 7 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({ code: 'invalid-input', problems: [{ path: 'runId' }] });
    expect((await post('noSuchMethod', {})).status).toBe(404);
    expect((await raw('/api/recentWorkspaces', { headers: auth() })).status).toBe(405);
    const notJson = await raw('/api/recentWorkspaces', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(notJson.status).toBe(400);
    const broken = await raw('/api/recentWorkspaces', {
      method: 'POST',
      headers: { ...auth(), 'Content-Type': 'application/json' },
      body: '{',
    });
    expect(JSON.parse(broken.body)).toMatchObject({ code: 'invalid-input' });
  });

  it('streams events over SSE', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path: '/api/events', headers: auth() }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream');
        let text = '';
        res.on('data', (chunk) => {
          text += chunk;
          if (text.includes('files-changed')) {
            req.destroy();
            resolve(text);
          }
        });
        // The stream is open once its comment line arrived: now publish.
        res.once('data', () => {
          for (const l of listeners)
            l({ type: 'files-changed', changes: [{ kind: 'flow', id: 'a', change: 'changed' }] });
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain(
      'data: {"type":"files-changed","changes":[{"kind":"flow","id":"a","change":"changed"}]}',
    );
  });
});
