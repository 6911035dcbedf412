import { envSecretName } from '../../secrets/secret-store.js';
import { ConfigError, ConnectionError, parseConfig } from '../errors.js';
import { openHttp } from '../net/http-factory.js';
import { realClock } from '../net/limits.js';
import type { ConnectorContext } from '../types.js';
import { createAuth, principalIdentity } from './auth.js';
import { BcClient } from './client.js';
import { type BcConnectionSettings, bcConnectionSettingsSchema } from './descriptor.js';
import { BC_LIMITS, type Clock, budgetFor } from './limits.js';
import { BcTransport } from './transport.js';

/** Injectable time and chance, so retry and limit tests are deterministic. */
export interface BcOptions {
  clock?: Clock;
  random?: () => number;
}

export { parseConfig };

export interface Connected {
  client: BcClient;
  settings: BcConnectionSettings;
  /** Closes the auth sessions and, outside an engine run, the dispatchers. */
  close(): Promise<void>;
}

/**
 * Validates the connection, reads its secrets, opens the HTTP transport (network options, pool) and builds the
 * client with the principal's shared budget. The company is not resolved here (the connection test lists them).
 */
export async function connect(ctx: ConnectorContext, options: BcOptions = {}): Promise<Connected> {
  const connection = ctx.connection;
  if (!connection) throw new ConfigError('a Business Central node needs a connection');
  const label = `connection "${connection.name}"`;
  const settings = parseConfig(bcConnectionSettingsSchema, connection.settings, `${label} settings`);
  const online = settings.mode === 'online';
  const secretField = online ? 'clientSecret' : 'password';
  const secret = await ctx.secret(secretField);
  if (secret === undefined || secret === '') {
    throw new ConnectionError(
      `${label} has no ${secretField} stored: enter it in the connection's settings (kept in the system keychain) ` +
        `or, for headless runs, set the environment variable ${envSecretName(connection.id, secretField)}`,
    );
  }
  const clock = options.clock ?? realClock;
  const http = await openHttp(ctx, settings, label);
  const auth = createAuth(settings, online ? { clientSecret: secret } : { password: secret }, http, clock);
  const hidden = [secret, Buffer.from(`${settings.username ?? ''}:${secret}`).toString('base64'), ...http.secrets];
  const redact = (text: string) => hidden.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('***'), text);
  const budget = budgetFor(
    principalIdentity(settings),
    {
      concurrent: settings.maxConcurrentRequests,
      requests: settings.requestBudget?.requests ?? BC_LIMITS.requests,
      windowMs: (settings.requestBudget?.windowSeconds ?? BC_LIMITS.windowMs / 1000) * 1000,
    },
    clock,
  );
  const transport = new BcTransport({
    http,
    auth,
    budget,
    retry: settings.retry ?? { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 60_000 },
    clock,
    random: options.random ?? Math.random,
    log: ctx.log,
    redact,
  });
  const client = new BcClient({
    transport,
    apiRoot: apiRoot(settings),
    version: online ? 'v2.0' : settings.apiVersion,
    online,
    auth: auth.kind,
    principal: auth.principal,
    redact,
  });
  return {
    client,
    settings,
    async close() {
      await auth.close();
      await http.close();
    },
  };
}

/** The API root, ending in "/" (api-reference/v2.0/endpoints-apis-for-dynamics.md). */
export function apiRoot(settings: BcConnectionSettings): string {
  if (settings.mode === 'online') {
    const host = settings.apiHost.replace(/\/+$/, '');
    const tenant = encodeURIComponent(settings.tenant ?? '');
    return `${host}/v2.0/${tenant}/${encodeURIComponent(settings.environment)}/api/v2.0/`;
  }
  return `${(settings.baseUrl ?? '').replace(/\/+$/, '')}/api/${settings.apiVersion}/`;
}
