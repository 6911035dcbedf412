/**
 * Signing in against the emulator: OAuth 2.0 with the password grant and with the authorization code (PKCE) whose
 * refresh token rotates — the new one stored before it is used — each session signed out by its bearer token; and
 * Test connection: what it reports, how it fails, and that it always signs out.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeContext } from '../http/test-support.js';
import { openHttp } from '../net/http-factory.js';
import type { SourceReader } from '../types.js';
import { authorizationUrl, createPkce, exchangeCode, plainLoginSend } from './auth.js';
import { acuConnectionSettingsSchema } from './descriptor.js';
import { ACUMATICA_DEMO, type AcumaticaEmulator, startAcumaticaEmulator } from './emulator/index.js';
import { login } from './emulator/test-support.js';
import { createAcumaticaConnector } from './index.js';
import { resetLoginCoolDowns } from './session.js';
import { acuContext, demoSecrets, demoSettings, fakeClock } from './test-support.js';

let acu: AcumaticaEmulator;
afterEach(async () => {
  resetLoginCoolDowns();
  await acu?.close();
});

const signal = new AbortController().signal;
const connector = () => createAcumaticaConnector({ clock: fakeClock(), random: () => 0.5 });

async function readCustomers(ctx: ReturnType<typeof acuContext>): Promise<number> {
  const reader = (await connector().source!.open({ entity: 'Customer', fields: ['CustomerID'] }, ctx)) as SourceReader;
  let count = 0;
  for await (const page of reader.pages({ pageSize: 1000, signal })) count += page.records.length;
  await reader.close?.();
  return count;
}

/** The authorization code flow as the browser would run it: authorize (the emulator signs in at once), exchange. */
async function refreshTokenByCodeFlow(): Promise<string> {
  const settings = acuConnectionSettingsSchema.parse({
    instanceUrl: acu.instanceUrl,
    auth: 'oauth-code',
    clientId: ACUMATICA_DEMO.clientId,
  });
  const { verifier, challenge } = createPkce();
  const redirectUri = ACUMATICA_DEMO.redirectUri;
  const url = authorizationUrl(settings, { challenge, state: 'xyz', redirectUri });
  const answer = await fetch(url, { redirect: 'manual' });
  const back = new URL(answer.headers.get('location')!);
  expect(back.searchParams.get('state')).toBe('xyz');
  const http = await openHttp(makeContext({}), settings, 'test');
  const tokens = await exchangeCode(plainLoginSend(http), settings, ACUMATICA_DEMO.clientSecret, {
    code: back.searchParams.get('code')!,
    verifier,
    redirectUri,
  });
  await http.close();
  expect(tokens.refreshToken).toEqual(expect.any(String));
  return tokens.refreshToken!;
}

describe('OAuth 2.0', () => {
  it('password grant: one token, its session opened at sign-in and signed out with the bearer token', async () => {
    acu = await startAcumaticaEmulator();
    const settings = demoSettings(acu.instanceUrl, { auth: 'oauth-password', clientId: ACUMATICA_DEMO.clientId });
    const secrets = { ...demoSecrets(), clientSecret: ACUMATICA_DEMO.clientSecret };
    expect(await readCustomers(acuContext(settings, secrets))).toBe(acu.store.count('Customer'));
    expect(acu.stats).toMatchObject({ tokensIssued: 1, logins: 1, logouts: 1, openSessions: 0 });
  });

  it('authorization code with PKCE: the rotated refresh token is stored before use and the next run uses it', async () => {
    acu = await startAcumaticaEmulator();
    const original = await refreshTokenByCodeFlow();
    const settings = demoSettings(acu.instanceUrl, { auth: 'oauth-code', clientId: ACUMATICA_DEMO.clientId });
    const secrets = { clientSecret: ACUMATICA_DEMO.clientSecret, refreshToken: original };
    const ctx = acuContext(settings, secrets);
    expect(await readCustomers(ctx)).toBe(acu.store.count('Customer'));
    const rotated = ctx.saved.refreshToken;
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(original);
    // The next run reads the stored (rotated) token; the spent one would be refused.
    expect(await readCustomers(acuContext(settings, { ...secrets, refreshToken: rotated! }))).toBeGreaterThan(0);
    expect(acu.stats).toMatchObject({ logins: 2, logouts: 2, openSessions: 0 });
  });

  it('a refresh token the server does not know: the refusal in plain words, no session', async () => {
    acu = await startAcumaticaEmulator();
    const settings = demoSettings(acu.instanceUrl, { auth: 'oauth-code', clientId: ACUMATICA_DEMO.clientId });
    const ctx = acuContext(settings, { clientSecret: ACUMATICA_DEMO.clientSecret, refreshToken: 'spent' });
    await expect(readCustomers(ctx)).rejects.toThrow(
      /^Acumatica refused the sign-in of OAuth client ".*@MyStore": invalid_grant — check the client ID and secret/,
    );
    expect(acu.stats.openSessions).toBe(0);
  });
});

describe('Test connection', () => {
  it('signs in, names the build and the endpoints, reads the chosen endpoint, signs out', async () => {
    acu = await startAcumaticaEmulator();
    const result = await connector().test!(acuContext(demoSettings(acu.instanceUrl, { endpointVersion: '23.200.001' }), demoSecrets())); // prettier-ignore
    expect(result).toMatchObject({
      ok: true,
      message: `signed in to Acumatica ${ACUMATICA_DEMO.erpVersion} at ${acu.instanceUrl} as user "admin" (tenant "MyStore"); endpoint Default 23.200.001`, // prettier-ignore
    });
    expect(result.details).toEqual(expect.arrayContaining(['Default 24.200.001', 'MANUFACTURING 24.200.001']));
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });
  });

  it('OAuth with a refresh token and nowhere to store its successor (unsaved values): the token is not spent', async () => {
    acu = await startAcumaticaEmulator();
    const original = await refreshTokenByCodeFlow();
    const settings = demoSettings(acu.instanceUrl, { auth: 'oauth-code', clientId: ACUMATICA_DEMO.clientId });
    const ctx = acuContext(settings, { clientSecret: ACUMATICA_DEMO.clientSecret, refreshToken: original });
    delete ctx.saveSecret;
    const result = await connector().test!(ctx);
    expect(result).toMatchObject({ ok: true, message: expect.stringContaining('the refresh token was not used') });
    expect(acu.stats).toMatchObject({ tokensIssued: 1, logins: 0 });
    // Still good for the first run.
    const run = acuContext(settings, { clientSecret: ACUMATICA_DEMO.clientSecret, refreshToken: original });
    expect(await readCustomers(run)).toBeGreaterThan(0);
  });

  it('OAuth code, not signed in yet: checks the instance and says to authorize; a run says how to sign in', async () => {
    acu = await startAcumaticaEmulator();
    const settings = demoSettings(acu.instanceUrl, { auth: 'oauth-code', clientId: ACUMATICA_DEMO.clientId });
    const ctx = acuContext(settings, { clientSecret: ACUMATICA_DEMO.clientSecret });
    const result = await connector().test!(ctx);
    expect(result).toMatchObject({
      ok: true,
      message: expect.stringContaining(
        'not signed in yet: save the connection, then Authorize… to sign in through the browser',
      ),
    });
    expect(acu.stats).toMatchObject({ tokensIssued: 0, logins: 0 });
    await expect(readCustomers(acuContext(settings, { clientSecret: ACUMATICA_DEMO.clientSecret }))).rejects.toThrow(
      'connection "acu" is not signed in (no refreshToken stored): authorize Ferry in the browser — Authorize… in ' +
        'the connection editor, or ferry auth <workspace> acu — or, for headless runs, set the environment variable ' +
        'FERRY_SECRET_ACU_REFRESHTOKEN',
    );
  });

  it('a wrong password: the refusal with what to check; nothing left open', async () => {
    acu = await startAcumaticaEmulator();
    const result = await connector().test!(acuContext(demoSettings(acu.instanceUrl), { password: 'wrong-one' }));
    expect(result.ok).toBe(false);
    expect(result.message).toBe(
      'Acumatica refused the sign-in of user "admin" (tenant "MyStore"): Invalid credentials. Please try again. — ' +
        'check the user name, the password and the tenant',
    );
    expect(acu.stats.openSessions).toBe(0);
  });

  it('the API-user limit: one attempt, the plain message at once', async () => {
    acu = await startAcumaticaEmulator({ limits: { apiUsers: 1 } });
    await login(acu);
    const result = await connector().test!(acuContext(demoSettings(acu.instanceUrl), demoSecrets()));
    expect(result).toEqual({
      ok: false,
      message:
        "Acumatica refused the login: the license's limit of API users is reached; another integration or an " +
        'earlier session holds it. Ferry holds no session. Retry in 1 minute.',
    });
    expect(acu.stats.loginFailures).toBe(1);
  });

  it('a wrong instance URL: what to check', async () => {
    acu = await startAcumaticaEmulator();
    const result = await connector().test!(acuContext(demoSettings(`${acu.url}/NoSuchSite/x`), demoSecrets()));
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(
      /no Acumatica instance answers at .*\/NoSuchSite\/x\/entity\/auth\/login \(HTTP 404\)/,
    );
  });
});
