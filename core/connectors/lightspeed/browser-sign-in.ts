/**
 * Lightspeed's side of the interactive sign-in ("Authorize…" in the connection editor, `ferry auth`): the
 * authorization code grant of docs/authorization. The host makes the state, listens on 127.0.0.1 for the redirect
 * and calls `exchangeCode`; the refresh token that comes back is stored as the connection's `refreshToken` before
 * anything else happens. X-Series documents no PKCE parameters (only response_type, client_id, redirect_uri and
 * state), so the challenge is not sent and the state alone ties the answer to the request.
 */
import { ConfigError, ConnectionError, parseConfig } from '../errors.js';
import { openHttp } from '../net/http-factory.js';
import { exchangeJson } from '../net/json-exchange.js';
import type { ConnectorContext, OAuthAuthorization, TestResult } from '../types.js';
import { adoptRefreshToken, refreshKey, requestToken, RefusedGrant, storeOrigin, tokenUrl } from './auth.js';
import { connectionKey } from './connect.js';
import { type LsConnectionSettings, lsConnectionSettingsSchema } from './descriptor.js';

/** Where retailers approve applications (docs/authorization); a test server's own page when baseUrl is set. */
export const LIGHTSPEED_CONNECT_URL = 'https://secure.retail.lightspeed.app/connect';

function oauthSettings(settings: unknown, label: string): LsConnectionSettings {
  const parsed = parseConfig(lsConnectionSettingsSchema, settings, `${label} settings`);
  if (parsed.auth !== 'oauth') {
    throw new ConfigError(`settings.auth: ${label} uses a personal token, which needs no browser; choose oauth to authorize an application`); // prettier-ignore
  }
  return parsed;
}

export const lightspeedBrowserSignIn: OAuthAuthorization = {
  authorizationUrl(settings, { redirectUri, state }) {
    const parsed = oauthSettings(settings, 'the connection');
    if (parsed.redirectPort === undefined) {
      throw new ConfigError(
        'settings.redirectPort: Lightspeed sends the browser back only to the redirect URI registered for your ' +
          'application. Register http://127.0.0.1:<port>/callback in the developer portal and enter the port',
      );
    }
    const query = new URLSearchParams({ response_type: 'code', client_id: parsed.clientId!, redirect_uri: redirectUri, state }); // prettier-ignore
    const page = parsed.baseUrl ? `${storeOrigin(parsed)}/connect` : LIGHTSPEED_CONNECT_URL;
    return `${page}?${query.toString()}`;
  },

  async exchangeCode(ctx: ConnectorContext, { code, redirectUri }): Promise<TestResult> {
    const connection = ctx.connection;
    if (!connection) throw new ConfigError('signing in to Lightspeed needs a saved connection');
    const label = `connection "${connection.name}"`;
    const settings = oauthSettings(connection.settings, label);
    const clientSecret = await ctx.secret('clientSecret');
    if (!clientSecret) throw new ConfigError(`${label} has no clientSecret stored: enter your application's secret and save`); // prettier-ignore
    if (!ctx.saveSecret) throw new ConfigError(`${label}: this host cannot store the refresh token`);
    const http = await openHttp(ctx, settings, label);
    try {
      const form = { grant_type: 'authorization_code', code, client_id: settings.clientId!, client_secret: clientSecret, redirect_uri: redirectUri }; // prettier-ignore
      const answer = await requestToken(http, tokenUrl(settings), form, settings.clientId!).catch((error: unknown) => {
        throw error instanceof RefusedGrant ? new ConnectionError(`Lightspeed refused the sign-in code (${error.message}): authorize again`) : error; // prettier-ignore
      });
      const approved = answer.domain_prefix;
      if (approved && approved.toLowerCase() !== settings.domainPrefix.toLowerCase()) {
        throw new ConnectionError(`the store approved in the browser is "${approved}", but ${label} is for "${settings.domainPrefix}": sign in to that store, or change the domain prefix`); // prettier-ignore
      }
      if (!answer.refresh_token) throw new ConnectionError('Lightspeed signed in but issued no refresh token');
      // Stored before the access token is used: from now on it is what every run starts from.
      await ctx.saveSecret('refreshToken', answer.refresh_token);
      adoptRefreshToken(refreshKey(connectionKey(ctx), settings), answer.refresh_token);
      const name = await storeName(http, settings, answer.access_token);
      return {
        ok: true,
        message: `Signed in to the Lightspeed store ${name} as application "${settings.clientId}"; the refresh token is stored and runs use it`, // prettier-ignore
        ...(http.warnings.length ? { warnings: http.warnings } : {}),
      };
    } finally {
      await http.close();
    }
  },
};

/** `"Store name" (prefix)`, or the prefix alone when the store does not say. */
async function storeName(
  http: Awaited<ReturnType<typeof openHttp>>,
  settings: LsConnectionSettings,
  token: string,
): Promise<string> {
  // prettier-ignore
  const url = `${storeOrigin(settings)}/api/2.0/retailer`;
  const answer = await exchangeJson((u, init) => http.fetch(u, init), { method: 'GET', url, headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(http.timeoutMs) }, http.timeoutMs, 1).catch(() => undefined); // prettier-ignore
  const name = (answer?.json as { data?: { name?: unknown } } | undefined)?.data?.name;
  return typeof name === 'string' ? `"${name}" (${settings.domainPrefix})` : `"${settings.domainPrefix}"`;
}
