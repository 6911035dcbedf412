import { envSecretName } from '../../secrets/secret-store.js';
import { ConfigError, ConnectionError, errorMessage, parseConfig } from '../errors.js';
import type { Connector, ConnectorContext, TestResult } from '../types.js';
import { openHttp } from '../net/http-factory.js';
import { HttpClient, isSuccess, remoteErrorText, type HttpClientOptions, type HttpResponse } from './client.js';
import { createDestinationWriter } from './destination.js';
import {
  HTTP_DEFAULT_CONCURRENCY,
  httpConnectionSettingsSchema,
  httpDescriptor,
  httpDestinationConfigSchema,
  httpSourceConfigSchema,
  type HttpConnectionSettings,
} from './descriptor.js';
import { createSourceReader } from './paging.js';

export {
  httpConnectionSettingsSchema,
  httpDestinationConfigSchema,
  httpSourceConfigSchema,
  type HttpConnectionSettings,
  type HttpDestinationConfig,
  type HttpSourceConfig,
} from './descriptor.js';
export { HttpClient, type HttpClientOptions } from './client.js';

/**
 * The generic REST/JSON connector. `options` exists for tests (deterministic sleep/random/now); the app uses
 * `httpConnector`.
 */
export function createHttpConnector(options: HttpClientOptions = {}): Connector {
  return {
    descriptor: httpDescriptor,
    connectionSettings: httpConnectionSettingsSchema,
    requiresConnection: true,
    source: {
      configSchema: httpSourceConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        // Parsed again so defaults apply even when the caller hands over the raw flow config.
        const parsed = parseConfig(httpSourceConfigSchema, config, 'http source config');
        const { client } = await connect(ctx, options);
        return createSourceReader(client, parsed, ctx);
      },
    },
    destination: {
      configSchema: httpDestinationConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(httpDestinationConfigSchema, config, 'http destination config');
        const { client, settings } = await connect(ctx, options);
        // The pool's level when the engine runs it; the legacy setting (or the default) when a test opens it bare.
        const workers = client.limit ?? settings.concurrency ?? HTTP_DEFAULT_CONCURRENCY;
        return createDestinationWriter(client, parsed, workers, ctx);
      },
    },
    test: (ctx) => testConnection(ctx, options),
  };
}

export const httpConnector: Connector = createHttpConnector();

interface Connected {
  client: HttpClient;
  settings: HttpConnectionSettings;
}

/** Validates the connection, reads its secrets and builds the client. */
async function connect(ctx: ConnectorContext, options: HttpClientOptions): Promise<Connected> {
  const connection = ctx.connection;
  if (!connection) throw new ConfigError('an http node needs a connection (base URL and auth)');
  const label = `connection "${connection.name}"`;
  const settings = parseConfig(httpConnectionSettingsSchema, connection.settings, `${label} settings`);
  if (settings.password !== undefined || settings.token !== undefined) {
    ctx.log.warn(`${label}: a password/token in the connection file is ignored; secrets come from the secret store`);
  }

  let authorization: string | undefined;
  const secrets: string[] = [];
  const requireSecret = async (field: 'password' | 'token'): Promise<string> => {
    const value = await ctx.secret(field);
    if (value === undefined || value === '') {
      throw new ConnectionError(
        `${label} uses ${settings.auth} auth but has no ${field} stored: enter it in the connection's settings ` +
          `(kept in the system keychain) or, for headless runs, set the environment variable ` +
          `${envSecretName(connection.id, field)}`,
      );
    }
    return value;
  };
  if (settings.auth === 'basic') {
    const password = await requireSecret('password');
    const encoded = Buffer.from(`${settings.username ?? ''}:${password}`, 'utf8').toString('base64');
    authorization = `Basic ${encoded}`;
    secrets.push(password, encoded);
  } else if (settings.auth === 'bearer') {
    const token = await requireSecret('token');
    authorization = `Bearer ${token}`;
    secrets.push(token);
  }

  const transport = await openHttp(ctx, settings, label);
  const client = new HttpClient(
    {
      baseUrl: settings.baseUrl,
      authorization,
      secrets,
      headers: settings.headers,
      transport,
      retry: settings.retry,
      log: ctx.log,
      label,
      auth: settings.auth,
    },
    options,
  );
  return { client, settings };
}

/** One GET of baseUrl + testPath, no retries: the user is waiting on a button and wants the first answer. */
async function testConnection(ctx: ConnectorContext, options: HttpClientOptions): Promise<TestResult> {
  let connected: Connected;
  try {
    connected = await connect(ctx, options);
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
  const { client } = connected;
  try {
    const result = await probe(connected, ctx);
    const warnings = client.warnings;
    return warnings.length > 0 ? { ...result, warnings } : result;
  } finally {
    await client.close();
  }
}

async function probe({ client, settings }: Connected, ctx: ConnectorContext): Promise<TestResult> {
  const url = client.resolve(settings.testPath);
  const shown = client.safeUrl(url);
  let response: HttpResponse;
  try {
    response = await client.request({ method: 'GET', url, signal: ctx.signal, maxAttempts: 1 });
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    return { ok: false, message: errorMessage(error) };
  }
  const status = `HTTP ${response.status} from ${shown}`;
  if (isSuccess(response.status)) {
    const type = response.headers.get('content-type');
    return { ok: true, message: status, details: type ? [`content-type: ${type}`] : undefined };
  }
  const auth = client.authFailure(response, `GET ${shown}`);
  if (auth) return { ok: false, message: auth.message };
  const text = client.redact(remoteErrorText(response));
  const detail = text ? `: ${text}` : '';
  if (response.status === 404) return { ok: false, message: `wrong URL or path (${status})${detail}` };
  return { ok: false, message: `${status}${detail}` };
}
