// A local Acumatica ERP instance on 127.0.0.1: the contract-based REST API of the Default, MANUFACTURING and
// eCommerce endpoints in every shipped version (/{instance}/entity/{Endpoint}/{Version}/…), cookie sign-in
// (/entity/auth/login, logout), the OAuth 2.0 server (/identity/connect/token, authorize), the OData interfaces of
// the training (/t/{tenant}/api/odata/gi|dac), licence limits, seeded faults and optional persistence.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { DataFileWriter, loadDataFile } from '../../emulator-kit/data-file.js';
import { type EmulatorFaults, FaultInjector, type FaultStats } from '../../emulator-kit/faults.js';
import { closeServer, listenLocal, readBodyBytes } from '../../emulator-kit/http.js';
import { PauseGate } from '../../emulator-kit/pause-gate.js';
import { acumaticaCatalog, acumaticaVersions, type AcuCatalog, type AcumaticaEndpoint } from '../catalog.js';
import { ActionRunner } from './actions.js';
import { handleEntityApi } from './api.js';
import { AcuError, notFound, notLoggedIn, serverError } from './errors.js';
import { itemAvailabilityEndpoint } from './inquiries.js';
import { type AcumaticaLimits, DEFAULT_LIMITS, LicenceLimiter, type LimitStats } from './limits.js';
import { type PageAnswer, showSignInPage, submitSignInPage } from './authorize-page.js';
import { type AcuOAuthClient, OAuthServer } from './oauth.js';
import { handleOData } from './odata.js';
import { ACUMATICA_DEMO, type AcumaticaSeedSize, seedStoreData } from './seed.js';
import { type AcuUser, type Session, SessionTable, type SessionStats } from './sessions.js';
import { AcuStore, type StoreData } from './store.js';

export interface AcumaticaEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Seed of the demo data (default 1). */
  seed?: number;
  /** Generated records on top of the training ones, e.g. `{ stockItems: 10000 }` for paging tests. */
  size?: Partial<AcumaticaSeedSize>;
  /** Keep the data in this JSON file: loaded when it exists, else seeded; written (temp + rename) after changes. */
  dataFile?: string;
  /** First path segment (default MyStoreInstance); requests without it are served too. */
  instance?: string;
  tenants?: string[];
  branches?: string[];
  users?: AcuUser[];
  clients?: AcuOAuthClient[];
  /** The user /identity/connect/authorize signs in without a page (default: the first user). */
  authorizeUser?: string;
  /** /identity/connect/authorize shows a sign-in form (a user's name and password, or Cancel) as a real instance. */
  signInPage?: boolean;
  accessTokenSeconds?: number;
  limits?: Partial<AcumaticaLimits>;
  faults?: EmulatorFaults;
  /** Status polls an action answers 202 before it reports done (default 1). */
  actionPolls?: number;
  /** Time source for sessions, tokens, limits and LastModifiedDateTime (tests move it). */
  clock?: () => number;
}

export interface AcumaticaEmulatorStats extends SessionStats, LimitStats, FaultStats {
  /** Every HTTP request received. */
  requests: number;
  tokensIssued: number;
  actionsInvoked: number;
}

export interface AcumaticaEmulator {
  /** http://127.0.0.1:<port> */
  url: string;
  /** <url>/<instance>: where auth/login, identity/connect/token and entity/… live. */
  instanceUrl: string;
  tokenUrl: string;
  authorizeUrl: string;
  /** <instanceUrl>/entity/<endpoint>/<version> (default: the newest shipped version). */
  endpointUrl(endpoint?: AcumaticaEndpoint, version?: string): string;
  store: AcuStore;
  stats: AcumaticaEmulatorStats;
  /** Requests that got a licence slot wait until resume() (to observe queues without timing). */
  pause(): void;
  resume(): void;
  /** Re-checks idle sessions and the per-minute window after a test moved the clock. */
  tick(): void;
  /** Writes the data file now (no-op without one). */
  save(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 50 * 1024 * 1024;
const ENDPOINTS: AcumaticaEndpoint[] = ['Default', 'MANUFACTURING', 'eCommerce'];

interface Reply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: unknown;
  text?: string;
  bytes?: Buffer;
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.destroyed) return;
  const headers = { ...reply.headers };
  let payload: string | Buffer = '';
  if (reply.bytes) payload = reply.bytes;
  else if (reply.text !== undefined) payload = reply.text;
  else if (reply.body !== undefined) {
    payload = JSON.stringify(reply.body);
    headers['Content-Type'] ??= 'application/json; charset=utf-8';
  }
  res.writeHead(reply.status, headers);
  res.end(payload);
}

/** The catalog of /entity/{name}/{version}, the training's custom endpoint included. */
function endpointCatalog(name: string, version: string): AcuCatalog | undefined {
  if (name.toLowerCase() === 'itemavailabilitydata' && version === '0001') return itemAvailabilityEndpoint();
  const endpoint = ENDPOINTS.find((e) => e.toLowerCase() === name.toLowerCase());
  return endpoint && acumaticaVersions(endpoint).includes(version) ? acumaticaCatalog(endpoint, version) : undefined;
}

/** Starts the emulator. Tests: `const acu = await startAcumaticaEmulator(); … await acu.close();` */
export async function startAcumaticaEmulator(options: AcumaticaEmulatorOptions = {}): Promise<AcumaticaEmulator> {
  const now = options.clock ?? Date.now;
  const limits: AcumaticaLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const instance = options.instance ?? ACUMATICA_DEMO.instance;
  const users = options.users ?? [{ name: ACUMATICA_DEMO.userName, password: ACUMATICA_DEMO.password }];
  const data =
    (options.dataFile ? await loadDataFile<StoreData>(options.dataFile, 'ferry-acumatica-emulator/1', 'an Acumatica emulator') : undefined) ?? seedStoreData(options.seed, options.size); // prettier-ignore
  const store = new AcuStore(data, now);
  const sessions = new SessionTable({ users, tenants: options.tenants ?? [ACUMATICA_DEMO.tenant], branches: options.branches ?? [ACUMATICA_DEMO.branch], apiUsers: limits.apiUsers, idleTimeoutMs: limits.sessionTimeoutMs, now }); // prettier-ignore
  const oauth = new OAuthServer({ clients: options.clients ?? [{ clientId: ACUMATICA_DEMO.clientId, clientSecret: ACUMATICA_DEMO.clientSecret, redirectUris: [ACUMATICA_DEMO.redirectUri] }], sessions, authorizeUser: options.authorizeUser ?? users[0]!.name, accessTokenSeconds: options.accessTokenSeconds ?? 3600, now }); // prettier-ignore
  const limiter = new LicenceLimiter(limits, now);
  const faults = new FaultInjector(options.faults);
  const actions = new ActionRunner(store, now, options.actionPolls ?? 1);
  const dataFile = new DataFileWriter(options.dataFile, () => store.toJSON());
  store.onChange(() => dataFile.changed());
  if (options.dataFile) await dataFile.flush();
  let requests = 0;
  const gate = new PauseGate();
  let baseUrl = '';

  /** The session of a request: its cookies, or the session its bearer token works in. */
  function authenticate(req: IncomingMessage): Session {
    const cookie = sessions.fromCookies(req.headers.cookie);
    if (cookie) return cookie;
    const bearer = oauth.check(req.headers.authorization);
    if (bearer.ok) return sessions.forToken(bearer.token, bearer.grant.user, bearer.grant.tenant);
    const challenge: Record<string, string> = bearer.error === 'missing' ? {} : { 'WWW-Authenticate': `Bearer error="invalid_token", error_description="The access token is ${bearer.error}"` }; // prettier-ignore
    throw notLoggedIn(challenge);
  }

  /** OData takes HTTP Basic (`user` or `user@tenant`) as well, checked on each request without a session. */
  function authenticateOData(req: IncomingMessage, tenant: string): void {
    const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!basic) return void authenticate(req);
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const at = decoded.indexOf(':');
    const [name, userTenant] = decoded.slice(0, Math.max(at, 0)).split('@');
    if (at < 0 || !sessions.verify(name ?? '', decoded.slice(at + 1))) throw notLoggedIn({ 'WWW-Authenticate': 'Basic realm="Acumatica"' }); // prettier-ignore
    sessions.tenantOf(userTenant ?? tenant);
  }

  /** Runs `work` under the licence limits, the pause gate and the fault knobs. */
  async function limited(req: IncomingMessage, work: () => Reply | Promise<Reply>): Promise<Reply | undefined> {
    const release = await limiter.acquire();
    try {
      await gate.passed();
      const fault = faults.decide();
      if (fault.latencyMs > 0) await delay(fault.latencyMs);
      if (fault.reset) return void req.socket.destroy();
      if (fault.status === 429) return { status: 429, headers: { 'Retry-After': '1' }, text: 'Too Many Requests' };
      if (fault.status !== undefined) {
        const error = serverError(`The emulator's fault knobs answered ${fault.status}.`, 'System.Exception');
        return { status: fault.status, body: error.body };
      }
      return await work();
    } finally {
      release();
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    let segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    let prefix = '';
    if (segments[0]?.toLowerCase() === instance.toLowerCase()) {
      prefix = `/${segments[0]}`;
      segments = segments.slice(1);
    }
    const method = req.method ?? 'GET';
    const route = segments.slice(0, 3).join('/').toLowerCase();
    const body = () => readBodyBytes(req, MAX_BODY, () => new AcuError(413, { message: 'The request body is too large.' })); // prettier-ignore
    const reply = (r: Reply | undefined) => r && send(res, r);

    if (route === 'identity/connect/token' && method === 'POST') {
      const form = new URLSearchParams((await body()).toString('utf8'));
      const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (basic && !form.has('client_secret')) {
        const [id, ...secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
        form.set('client_id', decodeURIComponent(id ?? ''));
        form.set('client_secret', decodeURIComponent(secret.join(':')));
      }
      const answer = oauth.token(form);
      return send(res, { status: answer.status, headers: { 'Cache-Control': 'no-store' }, body: answer.body });
    }
    if (route === 'identity/connect/authorize' && (method === 'GET' || (method === 'POST' && options.signInPage))) {
      const answer: PageAnswer = !options.signInPage
        ? oauth.authorize(url.searchParams)
        : method === 'GET'
          ? showSignInPage(oauth, url.searchParams)
          : submitSignInPage(oauth, sessions, new URLSearchParams((await body()).toString('utf8')));
      const headers: Record<string, string> = answer.location ? { Location: answer.location } : {};
      if (answer.html) return send(res, { status: answer.status, headers: { ...headers, 'Content-Type': 'text/html; charset=utf-8' }, text: answer.html }); // prettier-ignore
      return send(res, { status: answer.status, headers, ...(answer.text ? { text: answer.text } : {}) });
    }
    if (route === 'entity' && segments.length === 1 && method === 'GET') {
      return send(res, { status: 200, body: { version: { acumaticaBuildVersion: ACUMATICA_DEMO.erpVersion, databaseVersion: ACUMATICA_DEMO.erpVersion }, endpoints: ENDPOINTS.flatMap((name) => acumaticaVersions(name).map((version) => ({ name, version, href: `${prefix}/entity/${name}/${version}/` }))) } }); // prettier-ignore
    }
    if (route === 'entity/auth/logout' && method === 'POST') {
      // Sign-out is exempt from the licence's request limits and answers 204 even without a session.
      let session = sessions.fromCookies(req.headers.cookie);
      const bearer = oauth.check(req.headers.authorization);
      if (!session && bearer.ok) session = sessions.forToken(bearer.token, bearer.grant.user, bearer.grant.tenant);
      sessions.logout(session);
      return send(res, { status: 204, headers: { 'Set-Cookie': SessionTable.expiredCookies() } });
    }
    if (route === 'entity/auth/login' && method === 'POST') {
      const text = (await body()).toString('utf8');
      return reply(
        await limited(req, () => {
          let credentials: unknown;
          try {
            credentials = text ? JSON.parse(text) : {};
          } catch {
            credentials = Object.fromEntries(new URLSearchParams(text));
          }
          const session = sessions.login((credentials ?? {}) as Record<string, unknown>);
          return { status: 204, headers: { 'Set-Cookie': SessionTable.cookies(session) } };
        }),
      );
    }
    if (segments[0]?.toLowerCase() === 'entity' && segments.length >= 3) {
      const [, name, version, ...rest] = segments;
      const catalog = endpointCatalog(name!, version!);
      if (!catalog) throw notFound(url.pathname);
      authenticate(req);
      const payload = await body();
      const ctx = { catalog, store, actions, now, base: `${prefix}/entity/${name}/${version}` };
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])); // prettier-ignore
      return reply(await limited(req, () => handleEntityApi(ctx, { method, segments: rest, query: url.searchParams, headers, body: payload }))); // prettier-ignore
    }
    if (segments[0] === 't' && segments[2]?.toLowerCase() === 'api' && segments[3]?.toLowerCase() === 'odata') {
      const kind = segments[4]?.toLowerCase();
      if ((kind !== 'gi' && kind !== 'dac') || method !== 'GET') throw notFound(url.pathname);
      authenticateOData(req, segments[1]!);
      const root = `${baseUrl}${prefix}/t/${segments[1]}/api/odata/${segments[4]}`;
      return reply(await limited(req, () => handleOData(store, kind, segments.slice(5).join('/'), url.searchParams, root))); // prettier-ignore
    }
    throw notFound(url.pathname);
  }

  const server: Server = createServer((req, res) => {
    requests++;
    handle(req, res).catch((error: unknown) => {
      if (error instanceof AcuError) return send(res, { status: error.status, headers: error.headers, body: error.body }); // prettier-ignore
      send(res, {
        status: 500,
        body: serverError(String((error as Error)?.message ?? error), 'System.Exception').body,
      });
    });
  });
  baseUrl = await listenLocal(server, options.port);
  const instanceUrl = `${baseUrl}/${instance}`;

  return {
    url: baseUrl,
    instanceUrl,
    tokenUrl: `${instanceUrl}/identity/connect/token`,
    authorizeUrl: `${instanceUrl}/identity/connect/authorize`,
    endpointUrl: (endpoint = 'Default', version) => {
      const versions = acumaticaVersions(endpoint);
      return `${instanceUrl}/entity/${endpoint}/${version ?? versions[versions.length - 1]}`;
    },
    store,
    get stats() {
      return { ...sessions.stats, ...limiter.stats, ...faults.stats, requests, tokensIssued: oauth.issued, actionsInvoked: actions.invoked }; // prettier-ignore
    },
    pause: () => gate.pause(),
    resume: () => gate.resume(),
    tick() {
      sessions.sweep();
      limiter.pump();
    },
    save: () => dataFile.flush(),
    async close() {
      gate.resume();
      limiter.close();
      await closeServer(server);
      await dataFile.settled();
    },
  };
}
