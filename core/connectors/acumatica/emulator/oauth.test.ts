import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACUMATICA_DEMO } from './seed.js';
import { type AcumaticaEmulator, startAcumaticaEmulator } from './server.js';
import { call, token } from './test-support.js';

describe('Acumatica emulator: OAuth 2.0', () => {
  let acu: AcumaticaEmulator;
  let now = Date.parse('2025-06-02T10:00:00Z');
  beforeEach(async () => {
    acu = await startAcumaticaEmulator({ clock: () => now, size: { customers: 1, stockItems: 1, salesOrders: 1 } });
  });
  afterEach(async () => {
    await acu.close();
  });

  const customer = () => `${acu.endpointUrl()}/Customer/${ACUMATICA_DEMO.keys.customer}`;
  const bearer = (accessToken: string) => ({ headers: { Authorization: `Bearer ${accessToken}` } });

  it('password grant: a bearer token that works on the API in a session of its own, signed out by logout', async () => {
    const answer = await token(acu);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'api offline_access' });
    expect(answer.body.refresh_token).toEqual(expect.any(String));
    expect((await call(customer(), bearer(answer.body.access_token))).status).toBe(200);
    expect((await call(customer(), bearer(answer.body.access_token))).status).toBe(200);
    expect(acu.stats).toMatchObject({ openSessions: 1, tokensIssued: 1 });
    const logout = await call(`${acu.instanceUrl}/entity/auth/logout`, { method: 'POST', ...bearer(answer.body.access_token) }); // prettier-ignore
    expect(logout.status).toBe(204);
    expect(acu.stats.openSessions).toBe(0);
    // Without offline_access there is no refresh token.
    expect((await token(acu, { scope: 'api' })).body.refresh_token).toBeUndefined();
  });

  it('refuses a wrong password, client secret, grant or scope the way IdentityServer does', async () => {
    expect(await token(acu, { password: 'nope' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(await token(acu, { client_secret: 'nope' })).toMatchObject({ status: 400, body: { error: 'invalid_client' } }); // prettier-ignore
    expect((await token(acu, { grant_type: 'client_credentials' })).body.error).toBe('unsupported_grant_type');
    expect((await token(acu, { scope: 'api everything' })).body.error).toBe('invalid_scope');
    // HTTP Basic client authentication works as well.
    const basic = await call(acu.tokenUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: `Basic ${Buffer.from(`${ACUMATICA_DEMO.clientId}:${ACUMATICA_DEMO.clientSecret}`).toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'password', username: ACUMATICA_DEMO.userName, password: ACUMATICA_DEMO.password, scope: 'api' }).toString(), // prettier-ignore
    });
    expect(basic.status).toBe(200);
  });

  it('rotates refresh tokens: each works once', async () => {
    const first = (await token(acu)).body;
    const refresh = (refreshToken: string) => token(acu, { grant_type: 'refresh_token', refresh_token: refreshToken });
    const second = await refresh(first.refresh_token);
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await call(customer(), bearer(second.body.access_token))).status).toBe(200);
    expect(await refresh(first.refresh_token)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await refresh(second.body.refresh_token)).status).toBe(200);
  });

  it('expired access tokens answer 401 with an invalid_token challenge', async () => {
    const access = (await token(acu)).body.access_token as string;
    now += 3600 * 1000;
    const answer = await call(customer(), bearer(access));
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toMatch(/invalid_token.*expired/);
    expect((await call(customer(), bearer('made-up'))).status).toBe(401);
  });

  describe('authorization code with PKCE', () => {
    const verifier = 'a-long-random-code-verifier-of-more-than-43-characters-0123456789';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorize = async (extra: Record<string, string> = {}) => {
      const query = new URLSearchParams({ response_type: 'code', client_id: ACUMATICA_DEMO.clientId, redirect_uri: ACUMATICA_DEMO.redirectUri, scope: 'api offline_access', state: 'xyz', code_challenge: challenge, code_challenge_method: 'S256', ...extra }); // prettier-ignore
      return call(`${acu.authorizeUrl}?${query}`);
    };
    const exchange = (code: string, codeVerifier?: string) =>
      token(acu, { grant_type: 'authorization_code', code, redirect_uri: ACUMATICA_DEMO.redirectUri, ...(codeVerifier ? { code_verifier: codeVerifier } : {}) }); // prettier-ignore

    it('authorize redirects with a code and the state; the code with its verifier buys tokens once', async () => {
      const answer = await authorize();
      expect(answer.status).toBe(302);
      const location = new URL(answer.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(ACUMATICA_DEMO.redirectUri);
      expect(location.searchParams.get('state')).toBe('xyz');
      const code = location.searchParams.get('code')!;
      const tokens = await exchange(code, verifier);
      expect(tokens.status).toBe(200);
      expect((await call(customer(), bearer(tokens.body.access_token))).status).toBe(200);
      expect(await exchange(code, verifier)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    });

    it('refuses a wrong or missing code verifier, and unknown redirect URIs at authorize', async () => {
      const code = () => authorize().then((a) => new URL(a.headers.get('location')!).searchParams.get('code')!);
      const wrong = await exchange(await code(), `${verifier}x`);
      expect(wrong).toMatchObject({ status: 400, body: { error: 'invalid_grant', error_description: expect.stringMatching(/code verifier/) } }); // prettier-ignore
      expect((await exchange(await code())).body.error).toBe('invalid_grant');
      const stranger = await authorize({ redirect_uri: 'https://evil.example/cb' });
      expect(stranger.status).toBe(400);
      expect(stranger.headers.get('location')).toBeNull();
    });
  });
});
