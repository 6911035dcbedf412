/**
 * Acumatica's side of the interactive sign-in ("Authorize…" in the connection editor, `ferry auth`): the
 * authorization code flow with PKCE on the instance's identity server. The host (core/host/oauth-sign-in.ts) makes
 * state and verifier, listens for the browser's redirect and calls `exchangeCode`; the refresh token that comes back
 * is stored as the connection's `refreshToken`, which every later sign-in (session.ts) spends and replaces.
 */
import { ConfigError, ConnectionError, parseConfig } from '../errors.js';
import { openHttp } from '../net/http-factory.js';
import type { ConnectorContext, OAuthAuthorization, TestResult } from '../types.js';
import { authorizationUrl, exchangeCode, instanceRoot, plainLoginSend } from './auth.js';
import { adoptRefreshToken } from './connect.js';
import { type AcuConnectionSettings, acuConnectionSettingsSchema } from './descriptor.js';

/** The settings of a connection that signs in with the authorization code; anything else is named plainly. */
function codeGrantSettings(settings: unknown, label: string): AcuConnectionSettings {
  const parsed = parseConfig(acuConnectionSettingsSchema, settings, `${label} settings`);
  if (parsed.auth !== 'oauth-code') {
    throw new ConfigError(
      `settings.auth: ${label} signs in with ${parsed.auth}, which needs no browser; choose oauth-code (OAuth ` +
        '2.0 authorization code) to authorize Ferry in the browser',
    );
  }
  return parsed;
}

/** The tenant a client id names after its "@" (`<guid>@MyStore`): the company the tokens work in. */
function tenantOf(clientId: string | undefined): string | undefined {
  const at = clientId?.lastIndexOf('@') ?? -1;
  return at < 0 ? undefined : clientId!.slice(at + 1);
}

export const acumaticaBrowserSignIn: OAuthAuthorization = {
  authorizationUrl(settings, { redirectUri, state, codeChallenge }) {
    const parsed = codeGrantSettings(settings, 'the connection');
    // Acumatica compares redirect URIs exactly (SM303010): a port the OS chose would never be registered.
    if (parsed.redirectPort === undefined) {
      throw new ConfigError(
        'settings.redirectPort: Acumatica accepts only a redirect URI registered for the connected application ' +
          '(SM303010, Redirect URIs). Register http://127.0.0.1:<port>/callback there (a free port, e.g. 47390) ' +
          'and enter the port',
      );
    }
    return authorizationUrl(parsed, { challenge: codeChallenge, state, redirectUri });
  },

  async exchangeCode(ctx: ConnectorContext, { code, redirectUri, codeVerifier }): Promise<TestResult> {
    const connection = ctx.connection;
    if (!connection) throw new ConfigError('signing in to Acumatica needs a saved connection');
    const label = `connection "${connection.name}"`;
    const settings = codeGrantSettings(connection.settings, label);
    const clientSecret = await ctx.secret('clientSecret');
    if (!clientSecret) {
      throw new ConfigError(`${label} has no clientSecret stored: enter the connected application's secret and save`);
    }
    if (!ctx.saveSecret) throw new ConfigError(`${label}: this host cannot store the refresh token`);
    const http = await openHttp(ctx, settings, label);
    let tokens: Awaited<ReturnType<typeof exchangeCode>>;
    try {
      tokens = await exchangeCode(plainLoginSend(http), settings, clientSecret, {
        code,
        verifier: codeVerifier,
        redirectUri,
      });
    } finally {
      await http.close();
    }
    if (!tokens.refreshToken) {
      throw new ConnectionError(
        `Acumatica signed in but issued no refresh token: add offline_access to the scopes ("${settings.scopes}") ` +
          'and authorize again',
      );
    }
    // Stored before anything else: the access token is left unused, so no API session (licence slot) opens here.
    await ctx.saveSecret('refreshToken', tokens.refreshToken);
    adoptRefreshToken(settings, tokens.refreshToken);
    const tenant = tenantOf(settings.clientId);
    return {
      ok: true,
      message:
        `Signed in to Acumatica at ${instanceRoot(settings)}${tenant ? ` (tenant "${tenant}")` : ''} as OAuth ` +
        `client "${settings.clientId}"; the refresh token is stored and runs sign in with it`,
      ...(http.warnings.length ? { warnings: http.warnings } : {}),
    };
  },
};
