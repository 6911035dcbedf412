// A local Lightspeed Retail (X-Series) store on 127.0.0.1: the API 2.0 resources of the spec under /api/2.0 (plus
// product and inventory updates under /api/2.1 and sales under /api/register_sales, where X-Series has them), the
// OAuth sign-in (/connect, /api/1.0/token, rotating refresh tokens) and personal tokens, the rate limit of
// `300 × registers + 50` per 5 minutes with 429 and an HTTP-date Retry-After, seeded faults, and optional
// persistence. One origin stands for `https://{domain_prefix}.retail.lightspeed.app` (and for
// secure.retail.lightspeed.app, where the approval page lives).
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { DataFileWriter, loadDataFile } from '../../emulator-kit/data-file.js';
import { type EmulatorFaults, FaultInjector, type FaultStats } from '../../emulator-kit/faults.js';
import { closeServer, listenLocal, readBodyBytes } from '../../emulator-kit/http.js';
import { PauseGate } from '../../emulator-kit/pause-gate.js';
import { handleApi } from './api.js';
import { LsHttpError, apiError } from './errors.js';
import { type LsOAuthApp, LsOAuthServer, type OAuthStats } from './oauth.js';
import { DEFAULT_RATE_LIMITS, type LsRateLimits, RateLimiter, type RateStats, retryAfterDate } from './rate-limit.js';
import { LIGHTSPEED_DEMO, type LightspeedSeedSize, seedStoreData } from './seed.js';
import { LsStore, type StoreData } from './store.js';

export interface LightspeedEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Seed of the demo data (default 1). */
  seed?: number;
  /** Generated records on top of the named ones, e.g. `{ products: 5000 }` for paging tests. */
  size?: Partial<LightspeedSeedSize>;
  /** Keep the data in this JSON file: loaded when it exists, else seeded; written (temp + rename) after changes. */
  dataFile?: string;
  apps?: LsOAuthApp[];
  personalTokens?: string[];
  /** Lifetime of access tokens (X-Series: 604800 s, a week). */
  accessTokenSeconds?: number;
  rateLimits?: Partial<LsRateLimits>;
  faults?: EmulatorFaults;
  /** Time source for tokens, the rate limit and timestamps (tests move it). */
  clock?: () => number;
}

export interface LightspeedEmulatorStats extends OAuthStats, RateStats, FaultStats {
  /** Every HTTP request received. */
  requests: number;
  /** Requests to /api other than the token endpoint. */
  apiRequests: number;
  writes: number;
  /** 401 answers (no, an unknown or an expired bearer token). */
  unauthorized: number;
}

export interface LightspeedEmulator {
  /** http://127.0.0.1:<port>: the store's origin (what `https://{domain_prefix}.retail.lightspeed.app` is). */
  url: string;
  /** <url>/api/2.0 */
  apiUrl: string;
  tokenUrl: string;
  authorizeUrl: string;
  store: LsStore;
  oauth: LsOAuthServer;
  stats: LightspeedEmulatorStats;
  /** The current limit: 300 × registers + 50 unless the options changed the constants. */
  rateLimit(): number;
  /** Requests that passed authentication and the rate limit wait until resume() (observe without timing). */
  pause(): void;
  resume(): void;
  /** Writes the data file now (no-op without one). */
  save(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 20 * 1024 * 1024;

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  html?: string;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload = '';
  if (reply.html !== undefined) {
    payload = reply.html;
    headers['Content-Type'] = 'text/html; charset=utf-8';
  } else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] = 'application/json';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** Starts the emulator. Tests: `const ls = await startLightspeedEmulator(); … await ls.close();` */
export async function startLightspeedEmulator(options: LightspeedEmulatorOptions = {}): Promise<LightspeedEmulator> {
  const now = options.clock ?? Date.now;
  const data =
    (options.dataFile ? await loadDataFile<StoreData>(options.dataFile, 'ferry-lightspeed-emulator/1', 'a Lightspeed emulator') : undefined) ?? seedStoreData(options.seed, options.size); // prettier-ignore
  const store = new LsStore(data, now);
  const admin = () => store.active('users').find((u) => u.account_type === 'admin')?.id ?? '';
  const oauth = new LsOAuthServer({
    apps: options.apps ?? [{ clientId: LIGHTSPEED_DEMO.clientId, clientSecret: LIGHTSPEED_DEMO.clientSecret, redirectUris: [LIGHTSPEED_DEMO.redirectUri] }], // prettier-ignore
    personalTokens: options.personalTokens ?? [LIGHTSPEED_DEMO.personalToken],
    domainPrefix: String(store.retailer.domain_prefix),
    userId: admin,
    accessTokenSeconds: options.accessTokenSeconds ?? 604_800,
    now,
  });
  const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.rateLimits }, () => store.active('registers').length, now); // prettier-ignore
  const faults = new FaultInjector(options.faults);
  const gate = new PauseGate();
  const dataFile = new DataFileWriter(options.dataFile, () => store.toJSON());
  store.onChange(() => dataFile.changed());
  if (options.dataFile) await dataFile.flush();
  const counts = { requests: 0, apiRequests: 0, writes: 0, unauthorized: 0 };
  let baseUrl = '';

  async function api(req: IncomingMessage, url: URL, segments: string[], payload: Buffer): Promise<Reply | undefined> {
    counts.apiRequests++;
    const bearer = oauth.check(req.headers.authorization);
    if (!bearer.ok) {
      counts.unauthorized++;
      const message = bearer.error === 'missing' ? 'An access token is required' : `The access token is ${bearer.error}`; // prettier-ignore
      throw apiError(401, message, { 'WWW-Authenticate': 'Bearer' });
    }
    const decision = limiter.take(bearer.principal);
    const rate = { 'X-RateLimit-Limit': String(decision.limit) };
    if (!decision.ok) {
      return { status: 429, headers: { ...rate, 'X-RateLimit-Remaining': '0', 'Retry-After': retryAfterDate(decision.retryAt) }, body: { error: 'Too Many Requests', message: 'Rate limiting enforced' } }; // prettier-ignore
    }
    const headers = { ...rate, 'X-RateLimit-Remaining': String(decision.remaining) };
    await gate.passed();
    const fault = faults.decide();
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    if (fault.reset) return void req.socket.destroy();
    if (fault.status === 429) return { status: 429, headers: { ...headers, 'Retry-After': retryAfterDate(now() + 1000) }, body: { error: 'Too Many Requests', message: 'Rate limiting enforced' } }; // prettier-ignore
    if (fault.status !== undefined) return { status: fault.status, headers, body: { error: 'Server Error', message: `The emulator's fault knobs answered ${fault.status}.` } }; // prettier-ignore
    const body = () => {
      const text = payload.toString('utf8');
      if (text.trim() === '') return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw apiError(400, 'The body is not valid JSON');
      }
    };
    try {
      const reply = handleApi(store, { method: req.method ?? 'GET', segments, query: url.searchParams, body, raw: payload, contentType: req.headers['content-type'] ?? '', userId: bearer.userId }); // prettier-ignore
      if (reply.wrote) counts.writes++;
      return { status: reply.status, headers, body: reply.body };
    } catch (error) {
      if (error instanceof LsHttpError) return { status: error.status, headers: { ...headers, ...error.headers }, body: error.body }; // prettier-ignore
      throw error;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    const method = req.method ?? 'GET';
    const payload = await readBodyBytes(req, MAX_BODY, () => apiError(413, 'The request body is too large'));
    if (url.pathname === '/connect' && method === 'GET') {
      return send(res, oauth.authorizePage(url.searchParams, String(store.retailer.name)));
    }
    if (url.pathname === '/connect' && method === 'POST') {
      const answer = oauth.authorizeDecision(new URLSearchParams(payload.toString('utf8')));
      return send(res, { status: answer.status, headers: answer.location ? { Location: answer.location } : {}, ...(answer.html ? { html: answer.html } : {}) }); // prettier-ignore
    }
    if (url.pathname === '/api/1.0/token' && method === 'POST') {
      const answer = oauth.token(new URLSearchParams(payload.toString('utf8')));
      return send(res, { status: answer.status, headers: { 'Cache-Control': 'no-store' }, body: answer.body });
    }
    if (segments[0] === 'api' && segments.length >= 2) {
      const reply = await api(req, url, segments.slice(1), payload);
      return reply && send(res, reply);
    }
    throw apiError(404, `${url.pathname} was not found`);
  }

  const server: Server = createServer((req, res) => {
    counts.requests++;
    handle(req, res).catch((error: unknown) => {
      if (error instanceof LsHttpError) return send(res, { status: error.status, headers: error.headers, body: error.body }); // prettier-ignore
      send(res, { status: 500, body: { error: 'Server Error', message: String((error as Error)?.message ?? error) } });
    });
  });
  baseUrl = await listenLocal(server, options.port);

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/2.0`,
    tokenUrl: `${baseUrl}/api/1.0/token`,
    authorizeUrl: `${baseUrl}/connect`,
    store,
    oauth,
    get stats() {
      return { ...counts, ...oauth.stats, ...limiter.stats, ...faults.stats };
    },
    rateLimit: () => limiter.limit(),
    pause: () => gate.pause(),
    resume: () => gate.resume(),
    save: () => dataFile.flush(),
    async close() {
      gate.resume();
      await closeServer(server);
      await dataFile.settled();
    },
  };
}
