/**
 * How a Business Central request carries its credentials:
 * - online: OAuth 2.0 client credentials with Entra ID (scope https://api.businesscentral.dynamics.com/.default).
 *   One token per app and tenant for the whole process, shared by every concurrent request and flow: the first
 *   caller fetches it, the others await the same promise (no stampede); it is renewed shortly before it expires,
 *   and once more when the API answers 401 with a token that was cached (revoked or clock skew).
 * - on premises: HTTP Basic (user name + password or web service access key), or Windows (NTLMv2, one handshake
 *   per keep-alive socket, core/connectors/net/ntlm-http.ts).
 */
import { createHash } from 'node:crypto';
import type { RequestInit, Response } from 'undici';
import { ConnectionError } from '../errors.js';
import type { HttpTransport } from '../net/http-factory.js';
import { NtlmSessions } from '../net/ntlm-http.js';
import { tokenProblem, type BcAuthKind } from './bc-error.js';
import { BC_SCOPE, type BcConnectionSettings } from './descriptor.js';
import { type Token, TokenCache, tokenCacheFor } from '../net/token-cache.js';
import type { Clock } from './limits.js';

export interface BcAuth {
  kind: BcAuthKind;
  /** Who signs in, for messages ("CORP\\svc", "app 1234… in contoso.com"). */
  principal: string;
  /** Sends one request with credentials; the caller owns timeouts and retries. */
  send(url: string, init: RequestInit, signal: AbortSignal): Promise<Response>;
  close(): Promise<void>;
}

export { TOKEN_RENEW_BEFORE_MS, TokenCache } from '../net/token-cache.js';

export interface AuthSecrets {
  clientSecret?: string;
  password?: string;
}

/** The identity whose limits BC counts: the same app or user on the same server shares one budget. */
export function principalIdentity(settings: BcConnectionSettings): string {
  if (settings.mode === 'online') return `online|${settings.apiHost}|${settings.tenant}|${settings.clientId}`;
  const user = settings.auth === 'windows' ? `${settings.domain}\\${settings.username}` : settings.username;
  return `on-premise|${settings.baseUrl}|${user?.toLowerCase()}`;
}

export function createAuth(
  settings: BcConnectionSettings,
  secrets: AuthSecrets,
  http: HttpTransport,
  clock: Pick<Clock, 'now'>,
): BcAuth {
  if (settings.mode === 'online') return oauth(settings, secrets.clientSecret ?? '', http, clock);
  const user = settings.username ?? '';
  const password = secrets.password ?? '';
  if (settings.auth === 'windows') {
    const domain = settings.domain ?? '';
    const sessions = new NtlmSessions(http, { user, domain, password });
    return {
      kind: 'windows',
      principal: `${domain}\\${user}`,
      send: (url, init) => sessions.fetch(url, init),
      close: () => sessions.close(),
    };
  }
  const basic = `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
  return {
    kind: 'basic',
    principal: user,
    send: (url, init) => http.fetch(url, { ...init, headers: { ...(init.headers as object), authorization: basic } }),
    close: async () => undefined,
  };
}

function oauth(settings: BcConnectionSettings, secret: string, http: HttpTransport, clock: Pick<Clock, 'now'>): BcAuth {
  const tenant = settings.tenant ?? '';
  const clientId = settings.clientId ?? '';
  const tokenUrl = `${settings.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`;
  const secretHash = createHash('sha256').update(secret).digest('hex');
  const cache = tokenCacheFor(`${tokenUrl}|${clientId}|${secretHash}`, () => {
    const fetchToken = async (): Promise<Token> => {
      const body = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: secret,
        scope: BC_SCOPE,
      });
      let res: Response;
      try {
        res = await http.fetch(tokenUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: body.toString(),
          signal: AbortSignal.timeout(http.timeoutMs),
        });
      } catch (error) {
        throw new ConnectionError(`cannot reach the token endpoint ${tokenUrl}: ${(error as Error).message}`, error);
      }
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const token = json as { access_token?: unknown; expires_in?: unknown } | undefined;
      if (!res.ok || typeof token?.access_token !== 'string') {
        throw new ConnectionError(tokenProblem(res.status, json, text).split(secret).join('***'));
      }
      const lifetime = Number(token.expires_in);
      const seconds = Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 3600;
      return { value: token.access_token, expiresAt: clock.now() + seconds * 1000 };
    };
    return new TokenCache(fetchToken, clock);
  });
  const withToken = (init: RequestInit, token: string): RequestInit => ({
    ...init,
    headers: { ...(init.headers as object), authorization: `Bearer ${token}` },
  });
  return {
    kind: 'oauth',
    principal: `app ${clientId} in ${tenant}`,
    async send(url, init) {
      const fetchedBefore = cache.fetched;
      const token = await cache.get();
      const response = await http.fetch(url, withToken(init, token));
      // A cached token the API refuses (revoked, or issued before a permission change): one fresh token, once. A
      // token fetched while this request waited, and refused, means the app itself is not allowed: no second try.
      if (response.status !== 401 || cache.fetched > fetchedBefore) return response;
      await response.arrayBuffer().catch(() => undefined);
      const fresh = await cache.get(token);
      return http.fetch(url, withToken(init, fresh));
    },
    close: async () => undefined,
  };
}
