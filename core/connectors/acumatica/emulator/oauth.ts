// Acumatica's OAuth 2.0 / OpenID Connect server (IdentityServer under {instance}/identity): the token endpoint with
// the resource-owner `password`, `authorization_code` (PKCE when the code was asked with a challenge) and
// `refresh_token` grants, scopes `api`, `offline_access` (refresh tokens) and `api:concurrent_access`. Client ids are
// `<guid>@<tenant>`: the suffix names the tenant the tokens work in. Refresh tokens rotate (one use each).
//
// /identity/connect/authorize signs in the configured `authorizeUser` at once and redirects to the client's
// redirect_uri with the code, so tests can run the code flow without a browser; with `signInPage` it shows a sign-in
// form first (authorize-page.ts), as the real instance does, where Cancel answers access_denied.
import { createHash, randomBytes } from 'node:crypto';
import { sameText } from '../../emulator-kit/same-text.js';
import type { SessionTable } from './sessions.js';

export interface AcuOAuthClient {
  /** `<guid>@<tenant>` as Acumatica shows it on the Connected Applications form (SM303010). */
  clientId: string;
  clientSecret: string;
  /** Redirect URIs registered for the authorization code flow. */
  redirectUris: string[];
}

export interface OAuthOptions {
  clients: AcuOAuthClient[];
  sessions: SessionTable;
  /** The user /identity/connect/authorize signs in without a page. */
  authorizeUser: string;
  accessTokenSeconds: number;
  now: () => number;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface Grant {
  user: string;
  tenant: string;
  scopes: string[];
  clientId: string;
}

interface AccessToken extends Grant {
  expiresAt: number;
}

interface CodeGrant extends Grant {
  redirectUri: string;
  challenge?: { value: string; method: 'S256' | 'plain' };
  expiresAt: number;
}

const SCOPES = ['api', 'offline_access', 'api:concurrent_access', 'openid', 'profile'];
const CODE_SECONDS = 300;

const fail = (error: string, description?: string): TokenAnswer => ({
  status: 400,
  body: description ? { error, error_description: description } : { error },
});

const opaque = () => randomBytes(32).toString('base64url');

export type BearerCheck = { ok: true; grant: Grant; token: string } | { ok: false; error: 'missing' | 'invalid' | 'expired' }; // prettier-ignore

export class OAuthServer {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, Grant>();
  private readonly codes = new Map<string, CodeGrant>();
  /** Tokens issued (tests count them). */
  issued = 0;

  constructor(private readonly options: OAuthOptions) {}

  private client(form: URLSearchParams): AcuOAuthClient | undefined {
    const id = form.get('client_id') ?? '';
    const client = this.options.clients.find((c) => c.clientId.toLowerCase() === id.toLowerCase());
    return client && sameText(form.get('client_secret') ?? '', client.clientSecret) ? client : undefined;
  }

  private tenantOf(client: AcuOAuthClient): string | undefined {
    const at = client.clientId.lastIndexOf('@');
    try {
      return this.options.sessions.tenantOf(at < 0 ? undefined : client.clientId.slice(at + 1));
    } catch {
      return undefined;
    }
  }

  private scopes(requested: string | null, allowedDefault: string[]): string[] | undefined {
    const scopes = requested === null || requested.trim() === '' ? allowedDefault : requested.trim().split(/\s+/);
    return scopes.every((s) => SCOPES.includes(s)) ? scopes : undefined;
  }

  private issue(grant: Grant): TokenAnswer {
    const access = opaque();
    const lifetime = this.options.accessTokenSeconds;
    this.accessTokens.set(access, { ...grant, expiresAt: this.options.now() + lifetime * 1000 });
    this.issued++;
    const body: Record<string, unknown> = {
      access_token: access,
      expires_in: lifetime,
      token_type: 'Bearer',
      scope: grant.scopes.join(' '),
    };
    if (grant.scopes.includes('offline_access')) {
      const refresh = opaque();
      this.refreshTokens.set(refresh, grant);
      body.refresh_token = refresh;
    }
    return { status: 200, body };
  }

  /** POST /identity/connect/token (form-encoded; client credentials in the body or as HTTP Basic). */
  token(form: URLSearchParams): TokenAnswer {
    const client = this.client(form);
    if (!client) return fail('invalid_client');
    const tenant = this.tenantOf(client);
    if (!tenant) return fail('invalid_client', `the tenant of client ${client.clientId} does not exist`);
    switch (form.get('grant_type')) {
      case 'password': {
        const scopes = this.scopes(form.get('scope'), ['api']);
        if (!scopes) return fail('invalid_scope');
        const user = this.options.sessions.verify(form.get('username') ?? '', form.get('password') ?? '');
        if (!user) return fail('invalid_grant', 'invalid_username_or_password');
        return this.issue({ user: user.name, tenant, scopes, clientId: client.clientId });
      }
      case 'authorization_code': {
        const code = this.codes.get(form.get('code') ?? '');
        // A code is used once, whatever the outcome.
        this.codes.delete(form.get('code') ?? '');
        if (!code || code.expiresAt <= this.options.now() || code.clientId !== client.clientId) {
          return fail('invalid_grant');
        }
        if (form.get('redirect_uri') !== code.redirectUri) return fail('invalid_grant', 'invalid redirect_uri');
        if (code.challenge) {
          const verifier = form.get('code_verifier');
          if (!verifier) return fail('invalid_grant', 'code_verifier is missing');
          const transformed =
            code.challenge.method === 'S256' ? createHash('sha256').update(verifier).digest('base64url') : verifier;
          if (!sameText(transformed, code.challenge.value)) {
            return fail('invalid_grant', 'Transformed code verifier does not match code challenge');
          }
        }
        return this.issue({ user: code.user, tenant: code.tenant, scopes: code.scopes, clientId: code.clientId });
      }
      case 'refresh_token': {
        const presented = form.get('refresh_token') ?? '';
        const grant = this.refreshTokens.get(presented);
        if (!grant || grant.clientId !== client.clientId) return fail('invalid_grant');
        // Rotation: the presented refresh token is spent; the answer carries its successor.
        this.refreshTokens.delete(presented);
        return this.issue(grant);
      }
      default:
        return fail('unsupported_grant_type');
    }
  }

  /**
   * GET /identity/connect/authorize: the redirect (302 Location) carrying the code, or an error answer when the
   * client or redirect URI is unknown (IdentityServer shows an error page then and never redirects).
   */
  authorize(
    query: URLSearchParams,
    decision: { user: string } | 'denied' = { user: this.options.authorizeUser },
  ): { status: number; location?: string; text?: string } {
    const unknown = this.unknownClient(query);
    if (unknown) return unknown;
    const client = this.options.clients.find((c) => c.clientId.toLowerCase() === (query.get('client_id') ?? '').toLowerCase())!; // prettier-ignore
    const redirectUri = query.get('redirect_uri') ?? '';
    const back = new URL(redirectUri);
    const state = query.get('state');
    if (state !== null) back.searchParams.set('state', state);
    if (decision === 'denied') {
      back.searchParams.set('error', 'access_denied');
      return { status: 302, location: back.href };
    }
    const tenant = this.tenantOf(client);
    const scopes = this.scopes(query.get('scope'), ['api']);
    const method = query.get('code_challenge_method') ?? 'plain';
    const challenge = query.get('code_challenge');
    let error: string | undefined;
    if (query.get('response_type') !== 'code') error = 'unsupported_response_type';
    else if (!scopes) error = 'invalid_scope';
    else if (!tenant) error = 'unauthorized_client';
    else if (challenge !== null && method !== 'S256' && method !== 'plain') error = 'invalid_request';
    if (error) {
      back.searchParams.set('error', error);
      return { status: 302, location: back.href };
    }
    const code = opaque();
    this.codes.set(code, {
      user: decision.user,
      tenant: tenant!,
      scopes: scopes!,
      clientId: client.clientId,
      redirectUri,
      ...(challenge === null ? {} : { challenge: { value: challenge, method: method as 'S256' | 'plain' } }),
      expiresAt: this.options.now() + CODE_SECONDS * 1000,
    });
    back.searchParams.set('code', code);
    back.searchParams.set('scope', scopes!.join(' '));
    return { status: 302, location: back.href };
  }

  /**
   * The error page of an authorization request whose client or redirect URI is not registered (compared exactly,
   * as Acumatica's Connected Applications form says), else undefined.
   */
  unknownClient(query: URLSearchParams): { status: number; text: string } | undefined {
    const client = this.options.clients.find((c) => c.clientId.toLowerCase() === (query.get('client_id') ?? '').toLowerCase()); // prettier-ignore
    if (client && client.redirectUris.includes(query.get('redirect_uri') ?? '')) return undefined;
    return { status: 400, text: 'Sorry, there was an error : unauthorized_client' };
  }

  /** The grant behind `Authorization: Bearer …`. */
  check(authorization: string | undefined): BearerCheck {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, error: 'missing' };
    const token = this.accessTokens.get(match[1]!);
    if (!token) return { ok: false, error: 'invalid' };
    if (token.expiresAt <= this.options.now()) return { ok: false, error: 'expired' };
    if (!token.scopes.includes('api')) return { ok: false, error: 'invalid' };
    return { ok: true, grant: token, token: match[1]! };
  }
}
