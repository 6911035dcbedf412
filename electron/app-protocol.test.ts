import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../core/host/security.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME_PRIVILEGES,
  createAppProtocolHandler,
  isAppUrl,
  resolveAppFile,
} from './app-protocol.js';

let root: string;
let dist: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-protocol-'));
  dist = join(root, 'renderer');
  await mkdir(join(dist, 'assets'), { recursive: true });
  await writeFile(join(dist, 'index.html'), '<!doctype html><title>Ferry</title>');
  await writeFile(join(dist, 'assets', 'app.js'), 'console.log(1)');
  // A file next to the renderer dir: what a traversal would try to read.
  await writeFile(join(root, 'secret.txt'), 'do not serve');
});
afterAll(() => rm(root, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => createAppProtocolHandler(dist)(new Request(url, { method }));

describe('the app protocol', () => {
  it('is registered standard and secure, without opening it to other origins', () => {
    expect(APP_SCHEME_PRIVILEGES.privileges).toMatchObject({ standard: true, secure: true });
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('corsEnabled');
    expect(APP_SCHEME_PRIVILEGES.privileges).not.toHaveProperty('bypassCSP');
  });

  it('serves the renderer files with the CSP header', async () => {
    const page = await get(APP_ENTRY_URL);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await page.text()).toContain('<title>Ferry</title>');

    const script = await get('ferry-app://app/assets/app.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await script.text()).toBe('console.log(1)');
  });

  it('serves index.html at the root and for client-side routes, but 404s missing assets', async () => {
    expect(await (await get('ferry-app://app/')).text()).toContain('Ferry');
    expect(await (await get('ferry-app://app/flows/orders')).text()).toContain('Ferry');
    const missing = await get('ferry-app://app/assets/missing.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it.each([
    'ferry-app://app/..%2fsecret.txt',
    'ferry-app://app/assets/..%2f..%2fsecret.txt',
    'ferry-app://app/..%5csecret.txt',
    'ferry-app://app/%2e%2e%2fsecret.txt',
  ])('refuses path traversal: %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('do not serve');
  });

  it('folds plain dot segments into the root instead of leaving it', async () => {
    // The URL parser resolves these before the handler sees them: they can only land inside the app.
    const response = await get('ferry-app://app/../../secret.txt');
    expect(await response.text()).not.toContain('do not serve');
  });

  it('refuses other hosts, malformed escapes, NUL bytes and non-GET methods', async () => {
    expect((await get('ferry-app://evil/index.html')).status).toBe(404);
    expect((await get('ferry-app://app/%E0%A4%A')).status).toBe(400);
    expect((await get('ferry-app://app/index.html%00.png')).status).toBe(400);
    expect((await get('ferry-app://app/index.html', 'POST')).status).toBe(405);
    const head = await get('ferry-app://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('maps URLs to files only inside the root', () => {
    expect(resolveAppFile(dist, 'ferry-app://app/assets/app.js')).toEqual({
      ok: true,
      file: join(dist, 'assets', 'app.js'),
    });
    expect(resolveAppFile(dist, 'not a url')).toEqual({ ok: false, status: 400 });
    expect(resolveAppFile(dist, 'https://app/index.html')).toEqual({ ok: false, status: 404 });
  });

  it('recognizes app URLs by scheme and host', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('ferry-app://app/assets/x.js#y')).toBe(true);
    expect(isAppUrl('ferry-app://other/index.html')).toBe(false);
    expect(isAppUrl('https://app/index.html')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('garbage')).toBe(false);
  });
});
