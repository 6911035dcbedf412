/**
 * How Ferry signs in to Acumatica (specs/README.md §3 "Authentication"):
 * - cookie: `POST {instance}/entity/auth/login` with `{name, password, tenant, branch, locale}` → 204 and session
 *   cookies, sent with every request until `POST /entity/auth/logout`;
 * - OAuth 2.0 on the instance's identity server (`{instance}/identity/connect/token`, form-encoded): the
 *   resource-owner password grant, or a refresh token obtained once by the authorization code flow with PKCE
 *   (`authorizationUrl`, `exchangeCode`). Acumatica rotates refresh tokens: the new one is saved in the secret store
 *   before the session uses the access token, so a crash never leaves only a spent token behind.
 * Each sign-in opens a server session that occupies one licensed API user until it is signed out (session.ts).
 */
import { ConnectionError } from '../errors.js';
import type { HttpTransport } from '../net/http-factory.js';
import { type JsonResponse, exchangeJson } from '../net/json-exchange.js';
import { type AcuAnswer, acuErrorText, isInvalidCredentials, isLoginLimit } from './acu-error.js';
import { CookieJar } from './cookies.js';
import type { AcuConnectionSettings } from './descriptor.js';

export { createPkce } from '../pkce.js';

export interface Credentials {
  password?: string;
  clientSecret?: string;
  refreshToken?: string;
}

/** What a sign-in gives: the session's cookies and, with OAuth, the bearer token. */
export interface Grant {
  cookies: CookieJar;
  bearer?: string;
}

/** The licence's API-user limit refused the sign-in; session.ts decides about waiting and the message. */
export class LoginLimitRefusal extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'LoginLimitRefusal';
  }
}

/** Where a rotated refresh token goes (the secret store through the connector context), and the newest one. */
export interface RefreshTokenStore {
  current(): string | undefined;
  save(token: string): Promise<void>;
}

export interface AcuAuth {
  kind: AcuConnectionSettings['auth'];
  /** Who signs in, for messages: `admin` (tenant "Company"), or the OAuth client. */
  principal: string;
  /** Signs in once (session.ts owns the API-user policy) through `send`, which retries only 429/503. */
  login(send: LoginSend): Promise<Grant>;
}

/**
 * How sign-in requests travel: bounded by the timeout only (a cancel mid-login would leave a session Ferry never
 * learns of), outside the pool (a sign-in happens inside the request that needed it, which holds a slot already).
 */
export type LoginSend = (
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
) => Promise<JsonResponse>;

/** A LoginSend without retries (a one-off exchange, e.g. the authorization code). */
export function plainLoginSend(http: HttpTransport): LoginSend {
  return (url, { body, ...init }) =>
    exchangeJson((u, i) => http.fetch(u, i), { ...init, url, rawBody: body, signal: neverAborted }, http.timeoutMs, 1);
}

export function instanceRoot(settings: Pick<AcuConnectionSettings, 'instanceUrl'>): string {
  return settings.instanceUrl.replace(/\/+$/, '');
}

export interface AuthOptions {
  tokens?: RefreshTokenStore;
  /**
   * OAuth: a cheap read of the endpoint (`…/Account?$top=1&$select=AccountCD`). An access token opens its server
   * session on its first API call, which is where the API-user limit refuses it; the sign-in makes that call, so
   * the session's sign-in policy covers OAuth as it covers the cookie login. (`GET /entity` needs no session.)
   */
  openUrl?: string;
}

export function createAuth(
  settings: AcuConnectionSettings,
  credentials: Credentials,
  options: AuthOptions = {},
): AcuAuth {
  const { tokens, openUrl } = options;
  const root = instanceRoot(settings);
  const tenant = settings.tenant ? ` (tenant "${settings.tenant}")` : '';
  if (settings.auth === 'cookie') {
    const body: Record<string, string> = { name: settings.username ?? '', password: credentials.password ?? '' };
    if (settings.tenant) body.tenant = settings.tenant;
    if (settings.branch) body.branch = settings.branch;
    if (settings.locale) body.locale = settings.locale;
    const principal = `user "${settings.username}"${tenant}`;
    return {
      kind: 'cookie',
      principal,
      async login(send) {
        const url = `${root}/entity/auth/login`;
        const answer = await send(url, post(JSON.stringify(body), 'application/json'));
        if (answer.status === 204 || answer.status === 200) {
          const cookies = new CookieJar();
          cookies.update(answer.headers);
          return { cookies };
        }
        throw refusal(answer, url, principal, 'check the user name, the password and the tenant');
      },
    };
  }
  const clientId = settings.clientId ?? '';
  const principal = `OAuth client "${clientId}"${settings.auth === 'oauth-password' ? ` as user "${settings.username}"` : ''}`;
  const form = (): Record<string, string> => {
    const base = { client_id: clientId, client_secret: credentials.clientSecret ?? '', scope: settings.scopes };
    if (settings.auth === 'oauth-password') {
      return {
        ...base,
        grant_type: 'password',
        username: settings.username ?? '',
        password: credentials.password ?? '',
      };
    }
    const refresh = tokens?.current() ?? credentials.refreshToken;
    if (!refresh) {
      throw new ConnectionError(
        'OAuth 2.0 with the authorization code needs a refresh token: sign in through the browser once and store it',
      );
    }
    return { ...base, grant_type: 'refresh_token', refresh_token: refresh };
  };
  return {
    kind: settings.auth,
    principal,
    async login(send) {
      const token = await requestToken(send, root, form(), principal);
      // Saved before the access token is used: the old refresh token is spent from now on.
      if (token.refresh_token && tokens) await tokens.save(token.refresh_token);
      const cookies = new CookieJar();
      if (openUrl) {
        const headers = { accept: 'application/json', authorization: `Bearer ${token.access_token}` };
        const answer = await send(openUrl, { method: 'GET', headers });
        if (answer.status !== 200) throw refusal(answer, openUrl, principal, 'the access token was refused');
        cookies.update(answer.headers);
      }
      return { cookies, bearer: token.access_token };
    },
  };
}

interface TokenAnswer {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
}

async function requestToken(
  send: LoginSend,
  root: string,
  form: Record<string, string>,
  principal: string,
): Promise<TokenAnswer> {
  const url = `${root}/identity/connect/token`;
  const answer = await send(url, post(new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded'));
  const json = answer.json as Partial<TokenAnswer> | undefined;
  if (answer.status === 200 && typeof json?.access_token === 'string') return json as TokenAnswer;
  throw refusal(answer, url, principal, 'check the client ID and secret, the grant and the user');
}

/** The browser's sign-in address of the authorization code flow. */
export function authorizationUrl(
  settings: Pick<AcuConnectionSettings, 'instanceUrl' | 'clientId' | 'scopes'>,
  options: { challenge: string; state: string; redirectUri: string },
): string {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId ?? '',
    redirect_uri: options.redirectUri,
    scope: settings.scopes,
    state: options.state,
    code_challenge: options.challenge,
    code_challenge_method: 'S256',
  });
  return `${instanceRoot(settings)}/identity/connect/authorize?${query.toString()}`;
}

/** Trades the code the browser brought back for tokens; the refresh token is what the connection stores. */
export async function exchangeCode(
  send: LoginSend,
  settings: Pick<AcuConnectionSettings, 'instanceUrl' | 'clientId'>,
  clientSecret: string,
  code: { code: string; verifier: string; redirectUri: string },
): Promise<{ accessToken: string; refreshToken?: string }> {
  const token = await requestToken(
    send,
    instanceRoot(settings),
    {
      grant_type: 'authorization_code',
      client_id: settings.clientId ?? '',
      client_secret: clientSecret,
      code: code.code,
      code_verifier: code.verifier,
      redirect_uri: code.redirectUri,
    },
    `OAuth client "${settings.clientId}"`,
  );
  return { accessToken: token.access_token, refreshToken: token.refresh_token };
}

function post(body: string, type: string): Parameters<LoginSend>[1] {
  return { method: 'POST', headers: { 'content-type': type, accept: 'application/json' }, body };
}

const neverAborted = new AbortController().signal;

function refusal(answer: AcuAnswer, url: string, principal: string, hint: string): Error {
  if (isLoginLimit(answer)) return new LoginLimitRefusal(acuErrorText(answer));
  const detail = acuErrorText(answer);
  if (answer.status === 404) {
    return new ConnectionError(
      `no Acumatica instance answers at ${url} (HTTP 404): check the instance URL (on premises it includes the ` +
        'site, e.g. https://server/AcumaticaERP)',
    );
  }
  const error = (answer.json as { error?: unknown } | undefined)?.error;
  if (
    isInvalidCredentials(answer) ||
    answer.status === 401 ||
    error === 'invalid_grant' ||
    error === 'invalid_client'
  ) {
    return new ConnectionError(`Acumatica refused the sign-in of ${principal}: ${detail} — ${hint}`);
  }
  return new ConnectionError(`signing in to Acumatica failed (HTTP ${answer.status} POST ${url}): ${detail}`);
}
