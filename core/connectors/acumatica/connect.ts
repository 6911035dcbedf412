import { createHash } from 'node:crypto';
import { MAX_CONCURRENCY } from '../../model/connection.js';
import { envSecretName } from '../../secrets/secret-store.js';
import { ConfigError, ConnectionError, errorMessage, parseConfig } from '../errors.js';
import { openHttp } from '../net/http-factory.js';
import { type Clock, type RequestBudget, budgetFor, realClock } from '../net/limits.js';
import type { ConnectorContext } from '../types.js';
import { type Credentials, type RefreshTokenStore, createAuth, instanceRoot } from './auth.js';
import { type AcuCatalog, acumaticaCatalog } from './catalog.js';
import { AcuClient } from './client.js';
import { ACU_DEFAULT_CONCURRENCY, type AcuConnectionSettings, acuConnectionSettingsSchema } from './descriptor.js';
import { AcuSession, acquireSession } from './session.js';
import { AcuTransport } from './transport.js';

/** Injectable time and chance, so retry, limit and login-policy tests are deterministic. */
export interface AcuOptions {
  clock?: Clock;
  random?: () => number;
}

export interface Connected {
  client: AcuClient;
  settings: AcuConnectionSettings;
  session: AcuSession;
  /** Gives the shared session back: the last holder signs out. */
  close(): Promise<void>;
}

const SECRET_FIELDS: Record<AcuConnectionSettings['auth'], (keyof Credentials)[]> = {
  cookie: ['password'],
  'oauth-password': ['clientSecret', 'password'],
  'oauth-code': ['clientSecret', 'refreshToken'],
};

/** The newest refresh token per client and instance in this process (a rotated one replaces the stored one). */
const refreshTokens = new Map<string, string>();

const refreshTokenKey = (settings: AcuConnectionSettings) => `${instanceRoot(settings)}|${settings.clientId}`;

/**
 * A browser sign-in's refresh token replaces the process's newest one: a run in this process (the desktop engine,
 * `ferry serve`) would otherwise keep spending the token the user signed in again to replace.
 */
export function adoptRefreshToken(settings: AcuConnectionSettings, token: string): void {
  refreshTokens.set(refreshTokenKey(settings), token);
}

/**
 * Validates the connection, reads its secrets and joins the process's session for this instance and user (made on
 * first use, with an HTTP transport of its own so that it may outlive the run that opened it), then builds the
 * client for the endpoint version with this node's pool slot and the user's requests-per-minute window.
 * `shared: false` (Test connection) gives a session of its own that nobody else joins.
 */
export async function connect(
  ctx: ConnectorContext,
  options: AcuOptions = {},
  shared = true,
  /** Secrets that may be missing (Test connection of an oauth-code connection not signed in yet). */
  optional: readonly (keyof Credentials)[] = [],
): Promise<Connected> {
  const connection = ctx.connection;
  if (!connection) throw new ConfigError('an Acumatica node needs a connection');
  const label = `connection "${connection.name}"`;
  const settings = parseConfig(acuConnectionSettingsSchema, connection.settings, `${label} settings`);
  const credentials: Credentials = {};
  for (const field of SECRET_FIELDS[settings.auth]) {
    const value = await ctx.secret(field);
    if ((value === undefined || value === '') && optional.includes(field)) continue;
    if ((value === undefined || value === '') && field === 'refreshToken') {
      throw new ConnectionError(
        `${label} is not signed in (no refreshToken stored): authorize Ferry in the browser — Authorize… in the ` +
          `connection editor, or ferry auth <workspace> ${connection.id} — or, for headless runs, set the ` +
          `environment variable ${envSecretName(connection.id, field)}`,
      );
    }
    if (value === undefined || value === '') {
      throw new ConnectionError(
        `${label} has no ${field} stored: enter it in the connection's settings (kept in the system keychain) or, ` +
          `for headless runs, set the environment variable ${envSecretName(connection.id, field)}`,
      );
    }
    credentials[field] = value;
  }
  const clock = options.clock ?? realClock;
  const instance = instanceRoot(settings);
  const identity = `${instance}|${settings.tenant ?? ''}|${settings.username ?? settings.clientId}`.toLowerCase();
  const tokens = refreshTokenStore(ctx, refreshTokenKey(settings));
  const catalog = acumaticaCatalog(settings.endpoint, settings.endpointVersion);
  const auth = createAuth(settings, credentials, { tokens, openUrl: openUrl(instance, catalog) });
  const budgets = requestBudgets(identity, settings.requestsPerMinute, clock);
  const hidden = Object.values(credentials).filter((s): s is string => s !== undefined && s.length >= 4);
  const redact = (text: string) => hidden.reduce((t, s) => t.split(s).join('***'), text);
  const retry = settings.retry ?? { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: 60_000 };
  const create = async () => {
    // Not the run's network scope: the session may serve runs side by side and signs out after this one ended.
    const http = await openHttp({ ...ctx, network: undefined, acquire: undefined, limit: undefined }, settings, label);
    const policy = settings.loginRetry ?? { attempts: 3, delaySeconds: 60 };
    const session = new AcuSession({
      instance,
      identity,
      http,
      auth,
      clock,
      log: ctx.log,
      policy,
      retry,
      random: options.random ?? Math.random,
      redact,
      pace: async (signal: AbortSignal) => {
        for (const budget of budgets) await budget.window.take(signal);
      },
    });
    return { session, dispose: () => http.close() };
  };
  const key = sessionKey(settings, credentials);
  const { session, release } = shared
    ? await acquireSession(key, create)
    : await create().then(({ session, dispose }) => ({
        session,
        release: async () => {
          await session.close();
          await dispose();
        },
      }));
  // Said once per run: the session's own transport warned only when it was made.
  for (const warning of session.init.http.warnings) {
    if (ctx.network) ctx.network.warnOnce(ctx.log, warning);
    else ctx.log.warn(warning);
  }
  const transport = new AcuTransport({
    session,
    acquire: ctx.acquire,
    limit: ctx.limit,
    budgets,
    timeoutMs: session.init.http.timeoutMs,
    retry,
    clock,
    random: options.random ?? Math.random,
    log: ctx.log,
    redact,
    defaultParallel: ACU_DEFAULT_CONCURRENCY,
  });
  const client = new AcuClient({ transport, catalog, instance, principal: auth.principal, redact });
  return { client, settings, session, close: release };
}

/**
 * The user's requests-per-minute budget, shared by every flow of the process: at most `perMinute` in any 60 s, and
 * a sixth of it in any 10 s, so a minute's allowance is spread over the minute instead of going out at once (the
 * licence counts per minute; a burst would only queue at the server).
 */
function requestBudgets(identity: string, perMinute: number | undefined, clock: Clock): RequestBudget[] {
  if (perMinute === undefined) return [];
  const limits = (requests: number, windowMs: number) => ({ concurrent: MAX_CONCURRENCY, requests, windowMs });
  return [
    budgetFor(`${identity}|minute`, limits(perMinute, 60_000), clock),
    budgetFor(`${identity}|10s`, limits(Math.max(1, Math.ceil(perMinute / 6)), 10_000), clock),
  ];
}

/** The first top-level entity with a key, read with `$top=1` and its key only: the cheapest real request. */
function openUrl(instance: string, catalog: AcuCatalog): string | undefined {
  const entity = catalog.entities.find((e) => e.topLevel && e.keys.length > 0);
  if (!entity) return undefined;
  const select = entity.keys.map(encodeURIComponent).join(',');
  return `${instance}/entity/${catalog.endpoint}/${catalog.version}/${entity.name}?$top=1&$select=${select}`;
}

/** Who may share a session: the same instance, user, sign-in settings, network options and secrets. */
function sessionKey(settings: AcuConnectionSettings, credentials: Credentials): string {
  const { endpoint: _e, endpointVersion: _v, requestsPerMinute: _r, retry: _t, loginRetry: _l, ...rest } = settings;
  // The refresh token rotates: a session opened with its predecessor is still the same user's.
  const { refreshToken: _token, ...fixed } = credentials;
  const secrets = createHash('sha256').update(JSON.stringify(fixed)).digest('hex');
  return `${JSON.stringify(rest)}|${secrets}`;
}

/**
 * Where a rotated refresh token goes: the process's newest one first (two runs must not both spend the old one),
 * then the secret store. If the store refuses (env secrets), the run goes on and says what the next run needs.
 */
function refreshTokenStore(ctx: ConnectorContext, key: string): RefreshTokenStore {
  return {
    current: () => refreshTokens.get(key),
    async save(token) {
      refreshTokens.set(key, token);
      if (!ctx.saveSecret) {
        ctx.log.warn(
          'Acumatica rotated the refresh token and this host cannot store it: sign in again before the next run',
        );
        return;
      }
      try {
        await ctx.saveSecret('refreshToken', token);
      } catch (error) {
        ctx.log.warn(
          `Acumatica rotated the refresh token but storing the new one failed (${errorMessage(error)}): this process ` +
            'keeps using it; sign in through the browser again before another process runs the connection',
        );
      }
    },
  };
}
