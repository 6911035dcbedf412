// A local Business Central: both URL shapes (online `/v2.0/{tenant}/{environment}/api/{v}` with an Entra-like token
// endpoint, on-premises `/{instance}/api/{v}` with Basic or pluggable Windows auth), per-user limits, fault
// injection and optional persistence. Listens on 127.0.0.1 only.
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { DataFileWriter } from '../../emulator-kit/data-file.js';
import { closeServer, listenLocal, readBodyBytes } from '../../emulator-kit/http.js';
import { PauseGate } from '../../emulator-kit/pause-gate.js';
import type { BcApiVersion } from '../catalog.js';
import { handleApi, errorResponse } from './api.js';
import { type AuthScheme, authenticate, basicAuthScheme, type BcUser } from './auth.js';
import type { ApiContext, ApiResponse } from './context.js';
import { BcError, badRequest, invalidCredentials } from './errors.js';
import { type BcFaults, FaultInjector, type FaultStats, faultError } from './faults.js';
import { type BcLimits, DEFAULT_LIMITS, type LimitStats, UserLimiter } from './limits.js';
import { BC_DEMO, type BcSeedSize, seedStoreData } from './seed.js';
import { BcStore, loadStoreData } from './store.js';
import { type BcClientApp, TokenIssuer } from './token-endpoint.js';

export interface BcEmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Seed of the demo data (default 1). */
  seed?: number;
  /** Demo data volume of the first company, e.g. `{ items: 10000 }` for paging tests. */
  size?: Partial<BcSeedSize>;
  /** Keep the data in this JSON file: loaded when it exists, else seeded; written (temp + rename) after changes. */
  dataFile?: string;
  tenantId?: string;
  tenantDomain?: string;
  environment?: string;
  /** On-premises server instance, the first path segment (BC14: BC140). */
  instance?: string;
  clients?: BcClientApp[];
  users?: BcUser[];
  /** On-premises authentication schemes, tried in order (default: Basic with `users`). See auth.ts. */
  onPremAuth?: AuthScheme[];
  tokenLifetimeSeconds?: number;
  limits?: Partial<BcLimits>;
  /** Rows per page at most (BC online: 20,000). */
  maxPageSize?: number;
  maxBatchOperations?: number;
  faults?: BcFaults;
  /** Time source for tokens, rate windows and lastModifiedDateTime (tests move it). */
  clock?: () => number;
}

export interface BcEmulatorStats extends LimitStats, FaultStats {
  requests: number;
}

export interface BcEmulator {
  /** http://127.0.0.1:<port>: also the "authority host" of the token endpoint. */
  url: string;
  tenantId: string;
  environment: string;
  instance: string;
  /** POST here for client-credentials tokens. */
  tokenUrl: string;
  /** Online API root: <url>/v2.0/<tenant>/<environment>/api/<version>. */
  onlineApiUrl(version?: BcApiVersion): string;
  /** On-premises API root: <url>/<instance>/api/<version>. */
  onPremApiUrl(version?: BcApiVersion): string;
  store: BcStore;
  stats: BcEmulatorStats;
  /** Requests that got a processing slot wait until resume() (to observe queues without timing). */
  pause(): void;
  resume(): void;
  /** Writes the data file now (no-op without one). */
  save(): Promise<void>;
  close(): Promise<void>;
}

const MAX_BODY = 50 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const tooLarge = () => new BcError(413, 'RequestEntityTooLarge', 'The request body is too large.');
  return (await readBodyBytes(req, MAX_BODY, tooLarge)).toString('utf8');
}

function send(res: ServerResponse, response: ApiResponse): void {
  if (res.headersSent || res.destroyed) return;
  const payload =
    response.bytes ?? (response.text !== undefined ? response.text : response.body === undefined ? '' : JSON.stringify(response.body)); // prettier-ignore
  res.writeHead(response.status, response.headers);
  res.end(payload);
}

interface Route {
  kind: 'online' | 'onprem';
  version: BcApiVersion;
  /** Path prefix up to and including api/<version>. */
  prefix: string;
  rest: string;
  tenant?: string;
  environment: string;
}

function route(pathname: string, instance: string): Route | undefined {
  const online = /^(\/v2\.0\/(?:([^/]+)\/)?([^/]+)\/api\/(v1\.0|v2\.0))(?:\/(.*))?$/.exec(pathname);
  if (online) {
    return { kind: 'online', prefix: online[1]!, tenant: online[2], environment: online[3]!, version: online[4] as BcApiVersion, rest: online[5] ?? '' }; // prettier-ignore
  }
  const onPrem = /^(\/([^/]+)\/api\/(v1\.0|v2\.0))(?:\/(.*))?$/.exec(pathname);
  if (onPrem && onPrem[2]!.toLowerCase() === instance.toLowerCase()) {
    return { kind: 'onprem', prefix: onPrem[1]!, environment: instance, version: onPrem[3] as BcApiVersion, rest: onPrem[4] ?? '' }; // prettier-ignore
  }
  return undefined;
}

/** Starts the emulator. Tests: `const bc = await startBcEmulator(); … await bc.close();` */
export async function startBcEmulator(options: BcEmulatorOptions = {}): Promise<BcEmulator> {
  const now = options.clock ?? Date.now;
  const tenantId = options.tenantId ?? BC_DEMO.tenantId;
  const environment = options.environment ?? BC_DEMO.environment;
  const instance = options.instance ?? BC_DEMO.instance;
  const users = options.users ?? [{ userName: BC_DEMO.userName, password: BC_DEMO.password, webServiceAccessKey: BC_DEMO.webServiceAccessKey }]; // prettier-ignore
  const clients = options.clients ?? [{ clientId: BC_DEMO.clientId, clientSecret: BC_DEMO.clientSecret }];
  const onPremAuth = options.onPremAuth ?? [basicAuthScheme(users)];
  const data =
    (options.dataFile ? await loadStoreData(options.dataFile) : undefined) ?? seedStoreData(options.seed, options.size);
  const store = new BcStore(data, now);
  const tokens = new TokenIssuer([tenantId, options.tenantDomain ?? BC_DEMO.tenantDomain], clients, options.tokenLifetimeSeconds ?? 3599, now); // prettier-ignore
  const limiter = new UserLimiter({ ...DEFAULT_LIMITS, ...options.limits }, now);
  const faults = new FaultInjector(options.faults);
  const ctx: ApiContext = { store, now, maxPageSize: options.maxPageSize ?? 20_000, maxBatchOperations: options.maxBatchOperations ?? 100 }; // prettier-ignore
  let requests = 0;
  const gate = new PauseGate();

  // Persistence: one write at a time, coalescing the changes made meanwhile.
  const dataFile = new DataFileWriter(options.dataFile, () => store.toJSON());
  store.onChange(() => dataFile.changed());
  if (options.dataFile) await dataFile.flush();

  let baseUrl = '';
  const challengeOnline = (error?: string) => {
    const base = `Bearer authorization_uri="${baseUrl}/common/oauth2/authorize", resource_id="https://api.businesscentral.dynamics.com"`; // prettier-ignore
    return error ? `${base}, error="invalid_token", error_description="${error}"` : base;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
    if (token && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      // client_secret_basic: Entra also takes the client id and secret as HTTP Basic credentials.
      const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
      if (basic && !form.has('client_secret')) {
        const [id, ...secret] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
        form.set('client_id', decodeURIComponent(id ?? ''));
        form.set('client_secret', decodeURIComponent(secret.join(':')));
      }
      const answer = tokens.issue(decodeURIComponent(token[1]!), form);
      return send(res, { status: answer.status, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: answer.body }); // prettier-ignore
    }
    const target = route(url.pathname, instance);
    if (!target) throw new BcError(404, 'BadRequest_NotFound', `No HTTP resource was found that matches the request URI '${url.href}'.`); // prettier-ignore
    if (target.environment.toLowerCase() !== environment.toLowerCase() && target.kind === 'online') {
      throw new BcError(404, 'BadRequest_NotFound', `The environment '${target.environment}' does not exist.`);
    }
    let user: string;
    if (target.kind === 'online') {
      if (target.tenant !== undefined && !tokens.knowsTenant(target.tenant)) {
        throw invalidCredentials({ 'WWW-Authenticate': challengeOnline() });
      }
      const checked = tokens.check(req.headers.authorization, target.tenant);
      if ('error' in checked) {
        const text = checked.error === 'expired' ? 'The access token is expired' : checked.error === 'invalid' ? 'The access token is invalid' : undefined; // prettier-ignore
        throw invalidCredentials({ 'WWW-Authenticate': challengeOnline(text) });
      }
      user = checked.clientId;
    } else {
      const result = await authenticate(onPremAuth, req);
      if (!result.ok) {
        res.setHeader('WWW-Authenticate', result.wwwAuthenticate);
        throw invalidCredentials();
      }
      user = result.user;
    }
    const release = await limiter.acquire(user);
    try {
      await gate.passed();
      const fault = faults.decide();
      if (fault.latencyMs > 0) await delay(fault.latencyMs);
      if (fault.reset) return void req.socket.destroy();
      if (fault.status !== undefined) {
        const [code, message] = faultError(fault.status);
        const retry: Record<string, string> = [429, 502, 503].includes(fault.status) ? { 'Retry-After': '1' } : {};
        throw new BcError(fault.status, code, message, retry);
      }
      const text = ['POST', 'PATCH', 'PUT'].includes(req.method ?? '') ? await readBody(req) : '';
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        throw badRequest('Invalid Request Body');
      }
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v])); // prettier-ignore
      send(res, handleApi(ctx, { method: req.method ?? 'GET', version: target.version, root: `${baseUrl}${target.prefix}`, path: target.rest, query: url.searchParams, headers, body })); // prettier-ignore
    } finally {
      release();
    }
  }

  const server: Server = createServer((req, res) => {
    requests++;
    handle(req, res).catch((error: unknown) => {
      if (error instanceof BcError) return send(res, errorResponse(error));
      send(res, { status: 500, headers: { 'Content-Type': 'application/json' }, body: { error: { code: 'Internal_ServerError', message: String((error as Error)?.message ?? error) } } }); // prettier-ignore
    });
  });
  baseUrl = await listenLocal(server, options.port);

  return {
    url: baseUrl,
    tenantId,
    environment,
    instance,
    tokenUrl: `${baseUrl}/${tenantId}/oauth2/v2.0/token`,
    onlineApiUrl: (version = 'v2.0') => `${baseUrl}/v2.0/${tenantId}/${environment}/api/${version}`,
    onPremApiUrl: (version = 'v1.0') => `${baseUrl}/${instance}/api/${version}`,
    store,
    get stats() {
      return { ...limiter.stats, ...faults.stats, requests };
    },
    pause: () => gate.pause(),
    resume: () => gate.resume(),
    save: () => dataFile.flush(),
    async close() {
      gate.resume();
      limiter.close();
      await closeServer(server);
      await dataFile.settled();
    },
  };
}
