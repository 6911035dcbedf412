import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../core/host/security.js';
import { contentType } from '../core/host/static-files.js';

/**
 * The renderer is served from `ferry-app://app/...`, never `file://`: a standard + secure scheme gives the page a
 * real origin (so CSP `'self'`, ES modules and same-origin checks work) and lets every response carry the CSP header.
 */
export const APP_SCHEME = 'ferry-app';
export const APP_HOST = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Passed to `protocol.registerSchemesAsPrivileged` before `ready`. `corsEnabled` stays unset on purpose: it would let
 * other origins read the scheme's responses; the app only loads its own files from its own origin.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/**
 * Whether a URL belongs to the app. Node's URL gives non-special schemes an opaque origin ("null"), so the check
 * compares scheme and host instead of `.origin`.
 */
export function isAppUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === `${APP_SCHEME}:` && url.host === APP_HOST;
  } catch {
    return false;
  }
}

export type ResolvedPath = { ok: true; file: string } | { ok: false; status: 400 | 403 | 404 };

/**
 * Maps an app URL to a file under `rootDir`. URL parsing already folds `..` segments, but an encoded separator
 * (`..%2f`, `..%5c`) only becomes one after decoding, so the decoded path is resolved and must stay inside the root.
 */
export function resolveAppFile(rootDir: string, rawUrl: string): ResolvedPath {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { ok: false, status: 400 };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 404 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return { ok: false, status: 400 };
  }
  if (pathname.includes('\0')) return { ok: false, status: 400 };
  // A backslash separates paths on Windows only; no renderer file has one, so refuse it everywhere alike.
  if (pathname.includes('\\')) return { ok: false, status: 403 };
  const root = resolve(rootDir);
  const rel = pathname.replace(/^\/+/, '');
  const file = resolve(root, rel === '' ? 'index.html' : rel);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside))
    return { ok: false, status: 403 };
  return { ok: true, file };
}

function securityHeaders(type: string): Record<string, string> {
  return {
    'Content-Type': type,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  };
}

function refuse(status: number): Response {
  return new Response(status === 404 ? 'not found' : 'refused', {
    status,
    headers: securityHeaders('text/plain; charset=utf-8'),
  });
}

/**
 * The `protocol.handle(APP_SCHEME, ...)` handler: files of the built renderer with the CSP header on every
 * response. Extension-less paths fall back to index.html (client-side routes); missing assets stay 404.
 */
export function createAppProtocolHandler(
  rootDir: string,
  read: (file: string) => Promise<Uint8Array> = (file) => readFile(file),
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405);
    const resolved = resolveAppFile(rootDir, request.url);
    if (!resolved.ok) return refuse(resolved.status);
    const serve = async (file: string): Promise<Response> => {
      const body = await read(file);
      const type = contentType(file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
        status: 200,
        headers: securityHeaders(type),
      });
    };
    try {
      return await serve(resolved.file);
    } catch {
      if (extname(resolved.file) !== '') return refuse(404);
      try {
        return await serve(resolve(rootDir, 'index.html'));
      } catch {
        return refuse(404);
      }
    }
  };
}
