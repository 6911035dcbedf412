// The store's sign-in as X-Series does it (docs/authorization): the retailer approves an application on
// `/connect` (a page with Allow / Deny, which a test plays by posting the form), the browser comes back to the
// application's registered redirect URI with `code`, `domain_prefix`, `user_id` and `state`, and the application
// trades the code at `/api/1.0/token` (form: grant_type, client_id, client_secret, code, redirect_uri). Refresh
// tokens rotate: the one presented is revoked when its successor is issued (changelog "2025-03 Refresh Token Flow
// Update"). Personal tokens are bearer tokens the retailer made in the store's setup.
import { randomBytes } from 'node:crypto';
import { sameText } from '../../emulator-kit/same-text.js';

export interface LsOAuthApp {
  clientId: string;
  clientSecret: string;
  /** Redirect URIs registered for the application; a request must name one exactly. */
  redirectUris: string[];
}

export interface OAuthOptions {
  apps: LsOAuthApp[];
  personalTokens: string[];
  domainPrefix: string;
  /** The retailer's user who approves on /connect. */
  userId: () => string;
  accessTokenSeconds: number;
  now: () => number;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** Who a request acts for: the application (OAuth) or the personal token, which is what rate limits count. */
export type BearerCheck = { ok: true; principal: string; userId: string } | { ok: false; error: 'missing' | 'invalid' | 'expired' }; // prettier-ignore

export interface OAuthStats {
  codesIssued: number;
  tokensIssued: number;
  refreshes: number;
  /** Token requests refused (a spent refresh token, a wrong secret). */
  tokensRefused: number;
}

interface Grant {
  clientId: string;
  userId: string;
}

const CODE_SECONDS = 600;
const opaque = () => randomBytes(30).toString('base64url');
const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class LsOAuthServer {
  readonly stats: OAuthStats = { codesIssued: 0, tokensIssued: 0, refreshes: 0, tokensRefused: 0 };
  private readonly accessTokens = new Map<string, Grant & { expiresAt: number }>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly codes = new Map<string, Grant & { redirectUri: string; expiresAt: number }>();

  constructor(private readonly options: OAuthOptions) {}

  private app(clientId: string | null): LsOAuthApp | undefined {
    return this.options.apps.find((a) => a.clientId === clientId);
  }

  /** GET /connect: the approval page, or an error page for an unknown application or redirect URI. */
  authorizePage(query: URLSearchParams, storeName: string): { status: number; html: string } {
    const problem = this.requestProblem(query);
    if (problem) return { status: 400, html: page('Cannot connect', `<p>${escape(problem)}</p>`) };
    const hidden = ['response_type', 'client_id', 'redirect_uri', 'state']
      .filter((name) => query.has(name))
      .map((name) => `<input type="hidden" name="${name}" value="${escape(query.get(name)!)}">`)
      .join('');
    const body =
      `<p>${escape(query.get('client_id')!)} asks for access to ${escape(storeName)}.</p>` +
      `<form method="post" action="/connect">${hidden}` +
      '<button type="submit" name="approve" value="yes">Allow</button> ' +
      '<button type="submit" name="approve" value="no">Deny</button></form>';
    return { status: 200, html: page('Connect an application', body) };
  }

  /** POST /connect: back to the redirect URI with the code (or `error=access_denied`). */
  authorizeDecision(form: URLSearchParams): { status: number; location?: string; html?: string } {
    const problem = this.requestProblem(form);
    if (problem) return { status: 400, html: page('Cannot connect', `<p>${escape(problem)}</p>`) };
    const back = new URL(form.get('redirect_uri')!);
    const state = form.get('state');
    if (form.get('approve') !== 'yes') {
      back.searchParams.set('error', 'access_denied');
      if (state !== null) back.searchParams.set('state', state);
      return { status: 302, location: back.href };
    }
    const code = opaque();
    const userId = this.options.userId();
    this.codes.set(code, { clientId: form.get('client_id')!, userId, redirectUri: form.get('redirect_uri')!, expiresAt: this.options.now() + CODE_SECONDS * 1000 }); // prettier-ignore
    this.stats.codesIssued++;
    back.searchParams.set('code', code);
    back.searchParams.set('domain_prefix', this.options.domainPrefix);
    back.searchParams.set('user_id', userId);
    if (state !== null) back.searchParams.set('state', state);
    return { status: 302, location: back.href };
  }

  private requestProblem(query: URLSearchParams): string | undefined {
    const app = this.app(query.get('client_id'));
    if (!app) return `Unknown application "${query.get('client_id') ?? ''}".`;
    if (!app.redirectUris.includes(query.get('redirect_uri') ?? '')) {
      return `The redirect_uri is not the one registered for ${app.clientId}.`;
    }
    if (query.get('response_type') !== 'code') return 'response_type must be "code".';
    return undefined;
  }

  /** POST /api/1.0/token. */
  token(form: URLSearchParams): TokenAnswer {
    const answer = this.grant(form);
    if (answer.status !== 200) this.stats.tokensRefused++;
    return answer;
  }

  private grant(form: URLSearchParams): TokenAnswer {
    const app = this.app(form.get('client_id'));
    if (!app || !sameText(form.get('client_secret') ?? '', app.clientSecret)) {
      return { status: 401, body: { error: 'invalid_client', error_description: 'Client authentication failed' } };
    }
    const invalid = (description: string) => ({ status: 400, body: { error: 'invalid_grant', error_description: description } }); // prettier-ignore
    switch (form.get('grant_type')) {
      case 'authorization_code': {
        const presented = form.get('code') ?? '';
        const code = this.codes.get(presented);
        // A code is used once, whatever the outcome.
        this.codes.delete(presented);
        if (!code || code.clientId !== app.clientId || code.expiresAt <= this.options.now()) return invalid('The authorization code is invalid or expired'); // prettier-ignore
        if (form.get('redirect_uri') !== code.redirectUri) return invalid('The redirect_uri does not match');
        return this.issue(code);
      }
      case 'refresh_token': {
        const presented = form.get('refresh_token') ?? '';
        const grant = this.refreshTokens.get(presented);
        if (!grant || grant.clientId !== app.clientId) return invalid('The refresh token is invalid or was revoked');
        // Rotation: the presented token is revoked as its successor is issued.
        this.refreshTokens.delete(presented);
        this.stats.refreshes++;
        return this.issue(grant);
      }
      default:
        return { status: 400, body: { error: 'unsupported_grant_type' } };
    }
  }

  private issue(grant: Grant): TokenAnswer {
    const access = opaque();
    const refresh = opaque();
    const seconds = this.options.accessTokenSeconds;
    const expiresAt = this.options.now() + seconds * 1000;
    this.accessTokens.set(access, { ...grant, expiresAt });
    this.refreshTokens.set(refresh, grant);
    this.stats.tokensIssued++;
    const body = { access_token: access, token_type: 'Bearer', expires: Math.floor(expiresAt / 1000), expires_in: seconds, refresh_token: refresh, domain_prefix: this.options.domainPrefix, scope: '' }; // prettier-ignore
    return { status: 200, body };
  }

  /** The principal behind `Authorization: Bearer …`. */
  check(authorization: string | undefined): BearerCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, error: 'missing' };
    const token = match[1]!;
    const personal = this.options.personalTokens.find((t) => sameText(t, token));
    if (personal) return { ok: true, principal: `personal:${personal.slice(-6)}`, userId: this.options.userId() };
    const grant = this.accessTokens.get(token);
    if (!grant) return { ok: false, error: 'invalid' };
    if (grant.expiresAt <= this.options.now()) return { ok: false, error: 'expired' };
    return { ok: true, principal: `app:${grant.clientId}`, userId: grant.userId };
  }

  /** Tests: every access token expires now (the next call needs a refresh). */
  expireAccessTokens(): void {
    for (const grant of this.accessTokens.values()) grant.expiresAt = 0;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`; // prettier-ignore
}
