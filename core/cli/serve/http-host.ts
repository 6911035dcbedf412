import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import type { ApiErrorBody, ApiEvent } from '../../model/contract.js';
import { type ApiHandlers, dispatch } from '../../host/dispatch.js';
import { CONTENT_SECURITY_POLICY } from '../../host/security.js';
import { contentType } from '../../host/static-files.js';
import { sameSecret } from '../../secrets/same-secret.js';

const STATUS_OF: Record<ApiErrorBody['code'], number> = {
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  connection: 502,
  internal: 500,
};

/** Request bodies are flows and forms: a few MB at most. Anything larger is a mistake or an attack. */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface HttpHostOptions {
  handlers: ApiHandlers;
  subscribe(listener: (event: ApiEvent) => void): () => void;
  /** The built renderer (index.html + assets). */
  staticDir: string;
  /** Defaults to a random per-launch token. */
  token?: string;
  port?: number;
}

export interface HttpHost {
  server: Server;
  port: number;
  token: string;
  /** The URL to open: carries the token once; the page then keeps it in a cookie. */
  url: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

function sendError(res: ServerResponse, error: ApiErrorBody): void {
  send(res, STATUS_OF[error.code], JSON.stringify(error));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.trim() === '' ? {} : JSON.parse(text);
}

/**
 * `ferry serve`: the renderer and the contract over HTTP on 127.0.0.1 only. Every request needs the per-launch
 * token (URL query once, then an HttpOnly SameSite=Strict cookie, or a Bearer header for scripts); the Host header
 * must name the loopback address, so a DNS-rebinding page cannot reach the API either.
 */
export async function startHttpHost(options: HttpHostOptions): Promise<HttpHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  let port = 0;
  const cookieName = () => `ferry_token_${port}`;
  const streams = new Set<ServerResponse>();

  const authorized = (req: IncomingMessage, url: URL): boolean => {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cookie = (req.headers.cookie ?? '')
      .split(';')
      .map((c) => c.trim().split('='))
      .find(([name]) => name === cookieName())?.[1];
    const candidate = bearer ?? cookie ?? url.searchParams.get('token') ?? '';
    return sameSecret(candidate, token);
  };

  const serveStatic = async (res: ServerResponse, pathname: string) => {
    const rel = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
    const file = join(options.staticDir, rel === '' ? 'index.html' : rel);
    if (!file.startsWith(options.staticDir + sep) && file !== options.staticDir) return send(res, 404, 'not found');
    try {
      const body = await readFile(file);
      const type = contentType(file);
      res.writeHead(200, {
        'Content-Type': type,
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cache-Control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
      });
      res.end(body);
    } catch {
      // Client-side routes fall back to the app; missing assets stay 404.
      if (extname(rel) === '') return serveStatic(res, '/');
      send(res, 404, 'not found', 'text/plain');
    }
  };

  const openEventStream = (req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    res.write(': ferry events\n\n');
    streams.add(res);
    const unsubscribe = options.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
      streams.delete(res);
    });
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const host = req.headers.host ?? '';
      if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`)
        return send(res, 421, 'wrong host', 'text/plain');
      if (!authorized(req, url)) {
        return send(res, 401, JSON.stringify({ code: 'invalid-input', message: 'missing or wrong token' }));
      }
      if (url.searchParams.has('token') && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
        // Trade the token in the URL for a cookie, so it does not linger in history or screenshots.
        res.writeHead(303, {
          'Set-Cookie': `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`,
          Location: url.pathname,
        });
        return res.end();
      }
      if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(req, res);
      if (url.pathname.startsWith('/api/')) {
        if (req.method !== 'POST')
          return send(res, 405, JSON.stringify({ code: 'invalid-input', message: 'use POST' }));
        if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
          return sendError(res, { code: 'invalid-input', message: 'expected Content-Type: application/json' });
        }
        let body: unknown;
        try {
          body = await readBody(req);
        } catch (error) {
          return sendError(res, { code: 'invalid-input', message: `request body: ${(error as Error).message}` });
        }
        const result = await dispatch(options.handlers, url.pathname.slice('/api/'.length), body);
        return result.ok ? send(res, 200, JSON.stringify(result.value)) : sendError(res, result.error);
      }
      if (req.method !== 'GET') return send(res, 405, 'method not allowed', 'text/plain');
      return serveStatic(res, url.pathname);
    })().catch((error: unknown) => {
      if (!res.headersSent) sendError(res, { code: 'internal', message: `Internal error: ${String(error)}` });
      else res.end();
    });
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    token,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const res of streams) res.end();
        server.close(() => resolvePromise());
        server.closeAllConnections();
      }),
  };
}
