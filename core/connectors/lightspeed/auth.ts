/**
 * How a Lightspeed request carries its credentials (docs/authorization): a personal token, or an OAuth access token
 * obtained with the application's refresh token from `{store}/api/1.0/token`.
 *
 * Refresh tokens rotate: the one presented is revoked when its successor is issued (changelog "2025-03 Refresh
 * Token Flow Update"). So the successor is stored (ctx.saveSecret, the keychain's atomic replace) before the refresh
 * counts as done — before any request uses the new access token — and the process keeps the newest one, so two
 * flows never spend the same token. A store write that fails leaves the successor in this process only, said in a
 * warning. The access token (a week) is shared by every flow of the process for this connection and renewed 5
 * minutes before it expires, or once when the API refuses it.
 */
import { createHash } from 'node:crypto';
import { ConnectionError, errorMessage } from '../errors.js';
import type { HttpTransport } from '../net/http-factory.js';
import { type JsonResponse, exchangeJson } from '../net/json-exchange.js';
import type { Clock } from '../net/limits.js';
import { type Token, TokenCache, tokenCacheFor } from '../net/token-cache.js';
import type { Logger } from '../types.js';
import type { LsConnectionSettings } from './descriptor.js';

export interface LsAuth {
  kind: LsConnectionSettings['auth'];
  /** Who the requests act as, for messages. */
  principal: string;
  /** The bearer token of a request; `stale` (refused by the API) asks for a new one. */
  bearer(stale?: string): Promise<string>;
  /** Whether a refused token can be replaced (OAuth), and how many tokens were fetched (a fresh one is final). */
  renewable: boolean;
  readonly fetched: number;
}

/** Where a rotated refresh token goes, and where the stored one comes from. */
export interface RefreshTokenStore {
  /** The stored token (read again when Lightspeed refuses ours: another process may have rotated it). */
  stored(): Promise<string | undefined>;
  save(token: string): Promise<void>;
  log: Logger;
}

/** The store's origin: `https://{domain_prefix}.retail.lightspeed.app`, or the override of a test server. */
export function storeOrigin(settings: Pick<LsConnectionSettings, 'domainPrefix' | 'baseUrl'>): string {
  return settings.baseUrl
    ? settings.baseUrl.replace(/\/+$/, '')
    : `https://${settings.domainPrefix.toLowerCase()}.retail.lightspeed.app`;
}

export function tokenUrl(settings: Pick<LsConnectionSettings, 'domainPrefix' | 'baseUrl'>): string {
  return `${storeOrigin(settings)}/api/1.0/token`;
}

export interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires?: number;
  expires_in?: number;
  domain_prefix?: string;
}

/** One token request (form-encoded, as docs/authorization has it); refusals put into words. */
export async function requestToken(
  http: HttpTransport,
  url: string,
  form: Record<string, string>,
  clientId: string,
): Promise<TokenAnswer> {
  let answer: JsonResponse;
  try {
    answer = await exchangeJson(
      (u, init) => http.fetch(u, init),
      { method: 'POST', url, rawBody: new URLSearchParams(form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: neverAborted }, // prettier-ignore
      http.timeoutMs,
      1,
    );
  } catch (error) {
    throw new ConnectionError(`cannot reach Lightspeed's token endpoint ${url}: ${errorMessage(error)}`, error);
  }
  const json = answer.json as (Partial<TokenAnswer> & { error?: string; error_description?: string }) | undefined;
  if (answer.status === 200 && typeof json?.access_token === 'string') return json as TokenAnswer;
  const said = json?.error ? `${json.error}${json.error_description ? `: ${json.error_description}` : ''}` : `HTTP ${answer.status}`; // prettier-ignore
  if (json?.error === 'invalid_client' || answer.status === 401) {
    throw new ConnectionError(`Lightspeed refused the application "${clientId}" (${said}): check the client ID and secret`); // prettier-ignore
  }
  if (json?.error === 'invalid_grant') throw new RefusedGrant(said);
  if (answer.status === 404) throw new ConnectionError(`no Lightspeed store answers at ${url} (HTTP 404): check the domain prefix`); // prettier-ignore
  throw new ConnectionError(`Lightspeed's token endpoint answered ${said} (POST ${url})`);
}

/** The code or refresh token was refused (spent, revoked or expired). */
export class RefusedGrant extends Error {}

/** A token request is bounded by its timeout only: a cancel must not lose a token the server already rotated. */
const neverAborted = new AbortController().signal;

/** The expiry of an answer: `expires` (epoch seconds) or `expires_in`, else a day. */
export function expiresAt(answer: TokenAnswer, now: number): number {
  if (typeof answer.expires === 'number' && answer.expires * 1000 > now) return answer.expires * 1000;
  const seconds = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in : 86_400;
  return now + seconds * 1000;
}

interface Newest {
  token: string;
  store: RefreshTokenStore;
  /** A transport of its own for each refresh: the run that opened the connection may have ended (and closed its). */
  openHttp(): Promise<HttpTransport>;
}

/** The newest refresh token of each connection in this process, and who stores its successors. */
const newest = new Map<string, Newest>();

/** The process's key of a connection's refresh tokens. */
export function refreshKey(connectionKey: string, settings: LsConnectionSettings): string {
  return `${connectionKey}|${tokenUrl(settings)}|${settings.clientId ?? ''}`;
}

/** After a browser sign-in in this process: the token every later refresh starts from. */
export function adoptRefreshToken(key: string, token: string): void {
  const entry = newest.get(key);
  if (entry) entry.token = token;
}

export interface AuthInit {
  settings: LsConnectionSettings;
  /** personalToken, or clientSecret + refreshToken. */
  secrets: { personalToken?: string; clientSecret?: string; refreshToken?: string };
  openHttp(): Promise<HttpTransport>;
  clock: Pick<Clock, 'now'>;
  /** The connection (workspace + id): refresh tokens belong to one connection's sign-in. */
  connectionKey: string;
  tokens: RefreshTokenStore;
}

export function createAuth(init: AuthInit): LsAuth {
  const { settings, secrets } = init;
  if (settings.auth === 'token') {
    const token = secrets.personalToken ?? '';
    return { kind: 'token', principal: 'a personal token', bearer: async () => token, renewable: false, fetched: 0 };
  }
  const clientId = settings.clientId ?? '';
  const url = tokenUrl(settings);
  const secretHash = createHash('sha256')
    .update(secrets.clientSecret ?? '')
    .digest('hex');
  const key = refreshKey(init.connectionKey, settings);
  const current = newest.get(key);
  // The latest opener's store and network: every opener of one connection writes to the same keychain entry.
  newest.set(key, { token: current?.token ?? secrets.refreshToken ?? '', store: init.tokens, openHttp: init.openHttp }); // prettier-ignore
  const cache = tokenCacheFor(`${key}|${secretHash}`, () => {
    const refresh = async (): Promise<Token> => {
      const entry = newest.get(key)!;
      const form = (token: string) => ({ grant_type: 'refresh_token', refresh_token: token, client_id: clientId, client_secret: secrets.clientSecret ?? '' }); // prettier-ignore
      const http = await entry.openHttp();
      let answer: TokenAnswer;
      try {
        try {
          answer = await requestToken(http, url, form(entry.token), clientId);
        } catch (error) {
          if (!(error instanceof RefusedGrant)) throw error;
          // Another process may have rotated it and stored the successor: try that one once.
          const stored = await entry.store.stored();
          if (!stored || stored === entry.token) throw signInAgain(error.message);
          entry.token = stored;
          answer = await requestToken(http, url, form(stored), clientId).catch((again: unknown) => {
            throw again instanceof RefusedGrant ? signInAgain(again.message) : again;
          });
        }
      } finally {
        await http.close();
      }
      if (answer.refresh_token) await keep(entry, answer.refresh_token);
      return { value: answer.access_token, expiresAt: expiresAt(answer, init.clock.now()) };
    };
    return new TokenCache(refresh, init.clock);
  });
  return {
    kind: 'oauth',
    principal: `application "${clientId}"`,
    bearer: (stale) => cache.get(stale),
    renewable: true,
    get fetched() {
      return cache.fetched;
    },
  };
}

/** Stores a rotated refresh token before the access token that came with it is used. */
async function keep(entry: Newest, token: string): Promise<void> {
  entry.token = token;
  try {
    await entry.store.save(token);
  } catch (error) {
    entry.store.log.warn(
      `Lightspeed rotated the refresh token but storing the new one failed (${errorMessage(error)}): this process ` +
        'keeps using it; authorize the connection in the browser again before another process runs it',
    );
  }
}

function signInAgain(detail: string): ConnectionError {
  return new ConnectionError(
    `Lightspeed refused the stored refresh token (${detail}): it was used or revoked — authorize the connection in ` +
      'the browser again',
  );
}
