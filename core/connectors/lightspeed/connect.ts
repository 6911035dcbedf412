import { createHash } from 'node:crypto';
import { envSecretName } from '../../secrets/secret-store.js';
import { ConfigError, ConnectionError, parseConfig } from '../errors.js';
import { openHttp } from '../net/http-factory.js';
import { type Clock, realClock } from '../net/limits.js';
import type { ConnectorContext } from '../types.js';
import { type RefreshTokenStore, createAuth, storeOrigin } from './auth.js';
import { lightspeedCatalog } from './catalog.js';
import { LsClient } from './client.js';
import {
  LS_DEFAULT_CONCURRENCY,
  LS_RATE_LIMIT,
  type LsConnectionSettings,
  lsConnectionSettingsSchema,
} from './descriptor.js';
import { storeBudget } from './limits.js';
import { LsTransport } from './transport.js';

/** Injectable time and chance, so retry and limit tests are deterministic. */
export interface LsOptions {
  clock?: Clock;
  random?: () => number;
}

export interface Connected {
  client: LsClient;
  settings: LsConnectionSettings;
  /** Closes the transport (outside an engine run; in a run the run's network scope does). */
  close(): Promise<void>;
}

const SECRET_FIELDS: Record<LsConnectionSettings['auth'], ('personalToken' | 'clientSecret' | 'refreshToken')[]> = {
  token: ['personalToken'],
  oauth: ['clientSecret', 'refreshToken'],
};

/** The connection, as this process's refresh tokens and budgets tell connections apart. */
export function connectionKey(ctx: ConnectorContext): string {
  return `${ctx.workspaceDir}|${ctx.connection?.id ?? ''}`;
}

/** The validated settings of the context's connection, or a ConfigError naming the field. */
export function connectionSettings(ctx: ConnectorContext): { settings: LsConnectionSettings; label: string } {
  const connection = ctx.connection;
  if (!connection) throw new ConfigError('a Lightspeed node needs a connection');
  const label = `connection "${connection.name}"`;
  return { settings: parseConfig(lsConnectionSettingsSchema, connection.settings, `${label} settings`), label };
}

/** Where a rotated refresh token goes: the connection's keychain entry, when this host can store one. */
export function refreshTokenStore(ctx: ConnectorContext): RefreshTokenStore {
  return {
    stored: () => ctx.secret('refreshToken'),
    async save(token) {
      if (!ctx.saveSecret) throw new Error('this host cannot store secrets');
      await ctx.saveSecret('refreshToken', token);
    },
    log: ctx.log,
  };
}

/**
 * Validates the connection, reads its secrets, opens the HTTP transport (network options, pool) and builds the
 * client with the store's shared rate budget. The first connect of the process to a store counts its registers,
 * which sets the budget to the store's own limit (`maxAttempts` 1: Test connection, where the user waits).
 */
export async function connect(
  ctx: ConnectorContext,
  options: LsOptions = {},
  maxAttempts?: number,
): Promise<Connected> {
  // prettier-ignore
  const { settings, label } = connectionSettings(ctx);
  const secrets: Partial<Record<(typeof SECRET_FIELDS)['oauth' | 'token'][number], string>> = {};
  for (const field of SECRET_FIELDS[settings.auth]) {
    const value = await ctx.secret(field);
    if (value === undefined || value === '') {
      const how =
        field === 'refreshToken'
          ? 'authorize the connection in the browser (Authorize… in the connection, or ferry auth)'
          : "enter it in the connection's settings (kept in the system keychain)";
      throw new ConnectionError(
        `${label} has no ${field} stored: ${how} or, for headless runs, set the environment variable ` +
          envSecretName(ctx.connection!.id, field),
      );
    }
    secrets[field] = value;
  }
  const clock = options.clock ?? realClock;
  const http = await openHttp(ctx, settings, label);
  const origin = storeOrigin(settings);
  const auth = createAuth({
    settings,
    secrets,
    // Token requests go outside the run's pool and scope: a refresh may serve a later run of this process.
    openHttp: () => openHttp({ ...ctx, network: undefined, acquire: undefined, limit: undefined }, settings, label),
    clock,
    connectionKey: connectionKey(ctx),
    tokens: refreshTokenStore(ctx),
  });
  // Lightspeed counts per retailer and application: a personal token is an application of its own.
  const app = settings.auth === 'oauth' ? `app:${settings.clientId}` : `token:${digest(secrets.personalToken!)}`;
  const budget = storeBudget(`${origin}|${app}`, settings, clock);
  const hidden = [...Object.values(secrets), ...http.secrets].filter((s): s is string => !!s && s.length >= 4);
  const redact = (text: string) => hidden.reduce((t, s) => t.split(s).join('***'), text);
  const transport = new LsTransport({
    http,
    auth,
    budget,
    retry: retrySettings(settings),
    clock,
    random: options.random ?? Math.random,
    log: ctx.log,
    redact,
    defaultParallel: LS_DEFAULT_CONCURRENCY,
  });
  const client = new LsClient({ transport, catalog: lightspeedCatalog(), origin, principal: auth.principal, redact });
  const connected = { client, settings, close: () => http.close() };
  if (!budget.registersKnown) {
    try {
      const registers = await client.all('registers', ctx.signal, maxAttempts);
      budget.setRegisters(registers.filter((r) => !r.deleted_at).length);
    } catch (error) {
      await http.close();
      throw error;
    }
  }
  return connected;
}

/**
 * The retry settings, with room for a whole rate window: a 429's Retry-After may name a time up to 5 minutes away
 * (when another application of the store spent the allowance), and a shorter cap would only earn another 429.
 */
function retrySettings(settings: LsConnectionSettings) {
  const windowMs = (settings.rateLimit?.windowSeconds ?? LS_RATE_LIMIT.windowSeconds) * 1000;
  const retry = settings.retry ?? { maxAttempts: 6, baseDelayMs: 1000, maxDelayMs: windowMs };
  return { ...retry, maxDelayMs: Math.max(retry.maxDelayMs, windowMs + 1000) };
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}
