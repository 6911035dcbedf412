/**
 * Signing in to the emulator: the browser sign-in (authorization URL, approval, code exchange that stores the
 * refresh token before anything else), and runs with rotating refresh tokens — each successor stored before the
 * access token that came with it is used, one refresh for many concurrent requests, a refused access token renewed
 * once, a token another process rotated picked up from the store, a host that cannot store not spending the token.
 * "Another process" is a context the process has not seen (another workspace folder): it knows only what is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SourceReader } from '../types.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { createLightspeedConnector } from './index.js';
import { approveInBrowser, demoRefreshToken, fakeClock, lsContext, oauthSettings } from './test-support.js';

let ls: LightspeedEmulator;
let processes = 0;
beforeEach(async () => {
  ls = await startLightspeedEmulator();
});
afterEach(() => ls.close());

const connector = () => createLightspeedConnector({ clock: fakeClock(Date.now()), random: () => 0 });
/** A context of a "process" of its own (nothing in memory) for the connection `id`, over the shared stored secrets. */
const inProcess = (secrets: Record<string, string>, options: { canSave?: boolean; settings?: Record<string, unknown> } = {}) => // prettier-ignore
  lsContext(oauthSettings(ls.url, options.settings), secrets, { id: 'shop', workspaceDir: `/tmp/process-${++processes}`, canSave: options.canSave }); // prettier-ignore

async function readOutlets(ctx: ReturnType<typeof lsContext>): Promise<number> {
  const reader = (await connector().source!.open({ entity: 'outlets' }, ctx)) as SourceReader;
  let count = 0;
  for await (const page of reader.pages({ pageSize: 100, signal: ctx.signal })) count += page.records.length;
  await reader.close?.();
  return count;
}

describe('browser sign-in', () => {
  it('builds the approval URL, exchanges the code and stores the refresh token, naming the store', async () => {
    const ctx = inProcess({ clientSecret: LIGHTSPEED_DEMO.clientSecret });
    const oauth = connector().oauth!;
    const url = oauth.authorizationUrl(ctx.connection!.settings, { redirectUri: LIGHTSPEED_DEMO.redirectUri, state: 'st4te', codeChallenge: 'ignored' }); // prettier-ignore
    expect(url).toBe(`${ls.url}/connect?response_type=code&client_id=${LIGHTSPEED_DEMO.clientId}&redirect_uri=${encodeURIComponent(LIGHTSPEED_DEMO.redirectUri)}&state=st4te`); // prettier-ignore
    const back = await approveInBrowser(url);
    const result = await oauth.exchangeCode(ctx, { code: back.get('code')!, redirectUri: LIGHTSPEED_DEMO.redirectUri, codeVerifier: 'unused' }); // prettier-ignore
    expect(result).toEqual({ ok: true, message: `Signed in to the Lightspeed store "${LIGHTSPEED_DEMO.storeName}" (${LIGHTSPEED_DEMO.domainPrefix}) as application "${LIGHTSPEED_DEMO.clientId}"; the refresh token is stored and runs use it` }); // prettier-ignore
    expect(ctx.saved.map((s) => s.field)).toEqual(['refreshToken']);
    expect(await readOutlets(ctx)).toBe(3);
    // The real address when no test server is named; a personal-token connection has nothing to authorize.
    const real = oauth.authorizationUrl({ domainPrefix: 'mystore', auth: 'oauth', clientId: 'app', redirectPort: 47391 }, { redirectUri: 'http://127.0.0.1:47391/callback', state: 's', codeChallenge: 'c' }); // prettier-ignore
    expect(real).toMatch(/^https:\/\/secure\.retail\.lightspeed\.app\/connect\?response_type=code&client_id=app&/);
    expect(() => oauth.authorizationUrl({ domainPrefix: 'mystore', auth: 'oauth', clientId: 'app' }, { redirectUri: 'x', state: 's', codeChallenge: 'c' })).toThrow('settings.redirectPort'); // prettier-ignore
    expect(() => oauth.authorizationUrl({ domainPrefix: 'mystore' }, { redirectUri: 'x', state: 's', codeChallenge: 'c' })).toThrow('uses a personal token'); // prettier-ignore
  });

  it('stores nothing when the store approved is not the connection’s', async () => {
    const ctx = inProcess({ clientSecret: LIGHTSPEED_DEMO.clientSecret }, { settings: { domainPrefix: 'otherstore' } });
    const back = await approveInBrowser(`${ls.authorizeUrl}?${new URLSearchParams({ response_type: 'code', client_id: LIGHTSPEED_DEMO.clientId, redirect_uri: LIGHTSPEED_DEMO.redirectUri })}`); // prettier-ignore
    await expect(connector().oauth!.exchangeCode(ctx, { code: back.get('code')!, redirectUri: LIGHTSPEED_DEMO.redirectUri, codeVerifier: '' })).rejects.toThrow(`the store approved in the browser is "${LIGHTSPEED_DEMO.domainPrefix}", but connection "shop" is for "otherstore"`); // prettier-ignore
    expect(ctx.saved).toEqual([]);
  });
});

describe('rotating refresh tokens', () => {
  it('stores each successor before the new access token is used; the spent token is refused from then on', async () => {
    const first = await demoRefreshToken(ls);
    const secrets = { clientSecret: LIGHTSPEED_DEMO.clientSecret, refreshToken: first };
    const ctx = inProcess(secrets);
    const apiBefore = ls.stats.apiRequests;
    const atSave: number[] = [];
    const save = ctx.saveSecret!;
    ctx.saveSecret = async (field, value) => {
      atSave.push(ls.stats.apiRequests - apiBefore);
      await save(field, value);
    };
    expect(await readOutlets(ctx)).toBe(3);
    // Saved when no API request had gone out yet: the refresh is the first thing a run does.
    expect(atSave).toEqual([0]);
    expect(secrets.refreshToken).not.toBe(first);
    expect(ls.stats.refreshes).toBe(1);
    // A "process" holding only the spent token fails with the way out; one reading the store works.
    await expect(readOutlets(inProcess({ ...secrets, refreshToken: first }, { canSave: true }))).rejects.toThrow('Lightspeed refused the stored refresh token'); // prettier-ignore
    expect(await readOutlets(inProcess(secrets))).toBe(3);
  });

  it('a crash after the successor was stored loses nothing; a crash before the answer leaves the stored token valid', async () => {
    const secrets = { clientSecret: LIGHTSPEED_DEMO.clientSecret, refreshToken: await demoRefreshToken(ls) };
    // Crash right after the save: the process dies before using the access token.
    const dying = inProcess(secrets);
    const save = dying.saveSecret!;
    dying.saveSecret = async (field, value) => {
      await save(field, value);
      dying.controller.abort(new Error('crashed'));
    };
    await expect(readOutlets(dying)).rejects.toThrow();
    expect(await readOutlets(inProcess(secrets))).toBe(3);
    // Crash before Lightspeed answered the refresh: the token endpoint is unreachable, nothing was rotated.
    const stored = secrets.refreshToken;
    const unreachable = inProcess(secrets, { settings: { baseUrl: 'http://127.0.0.1:9' } });
    await expect(readOutlets(unreachable)).rejects.toThrow("cannot reach Lightspeed's token endpoint");
    expect(secrets.refreshToken).toBe(stored);
    expect(await readOutlets(inProcess(secrets))).toBe(3);
  });

  it('one refresh serves many concurrent requests; an expired access token is renewed once', async () => {
    const secrets = { clientSecret: LIGHTSPEED_DEMO.clientSecret, refreshToken: await demoRefreshToken(ls) };
    const ctx = inProcess(secrets);
    const counts = await Promise.all(Array.from({ length: 8 }, () => readOutlets(ctx)));
    expect(counts).toEqual(Array(8).fill(3));
    expect(ls.stats.refreshes).toBe(1);
    ls.oauth.expireAccessTokens();
    const unauthorizedBefore = ls.stats.unauthorized;
    expect(await readOutlets(ctx)).toBe(3);
    expect(ls.stats.refreshes).toBe(2);
    expect(ls.stats.unauthorized - unauthorizedBefore).toBe(1);
    expect(ctx.saved.map((s) => s.value)).toEqual([expect.any(String), secrets.refreshToken]);
  });

  it('picks up a token another process rotated and stored, instead of failing on its own spent one', async () => {
    const secrets = { clientSecret: LIGHTSPEED_DEMO.clientSecret, refreshToken: await demoRefreshToken(ls) };
    // b opens (its first refresh), then a process started later rotates the token again and stores it.
    const b = inProcess(secrets);
    const reader = (await connector().source!.open({ entity: 'outlets' }, b)) as SourceReader;
    expect(await readOutlets(inProcess(secrets))).toBe(3);
    ls.oauth.expireAccessTokens();
    // b's own refresh token is spent now: refused, it reads the stored one and goes on.
    let count = 0;
    for await (const page of reader.pages({ pageSize: 100, signal: b.signal })) count += page.records.length;
    expect(count).toBe(3);
    expect(ls.stats).toMatchObject({ refreshes: 3, tokensRefused: 1 });
    expect(b.saved).toHaveLength(2);
  });

  it('keeps the successor in the process when the store refuses it, and says so', async () => {
    const secrets = { clientSecret: LIGHTSPEED_DEMO.clientSecret, refreshToken: await demoRefreshToken(ls) };
    const ctx = inProcess(secrets);
    ctx.saveSecret = async () => {
      throw new Error('keychain locked');
    };
    expect(await readOutlets(ctx)).toBe(3);
    expect(ctx.logs.join('\n')).toContain('storing the new one failed (keychain locked): this process keeps using it');
    ls.oauth.expireAccessTokens();
    expect(await readOutlets(ctx)).toBe(3);
  });

  it('a host that cannot store the successor (testing unsaved values) does not spend the token', async () => {
    const secrets = { clientSecret: LIGHTSPEED_DEMO.clientSecret, refreshToken: await demoRefreshToken(ls) };
    const result = await connector().test!(inProcess(secrets, { canSave: false }));
    expect(result).toEqual({ ok: true, message: `the Lightspeed store ${ls.url} answers; the refresh token was not used: Lightspeed replaces it on use, and this test could not store the new one` }); // prettier-ignore
    expect(ls.stats.refreshes).toBe(0);
    const notYet = await connector().test!(inProcess({ clientSecret: LIGHTSPEED_DEMO.clientSecret }));
    expect(notYet.message).toContain('authorize the connection in the browser (Authorize…) to sign in');
  });
});
