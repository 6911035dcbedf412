/**
 * The browser sign-in service against the Acumatica emulator, through the contract of a FerryService: the code
 * flow with PKCE ends with the refresh token in the secret store (the file referencing it) and the listener closed;
 * a wrong state is refused while the real answer still works; an `error=` answer, a timeout and a second start end
 * the waiting one plainly; the listener is on 127.0.0.1 only; what cannot be signed in is named.
 */
import { readFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AcumaticaEmulator, startAcumaticaEmulator } from '../connectors/acumatica/emulator/index.js';
import { ACUMATICA_DEMO } from '../connectors/acumatica/emulator/index.js';
import { defaultRegistry } from '../connectors/registry.js';
import type { ApiEvent } from '../model/contract.js';
import { loadWorkspace } from '../store/workspace-store.js';
import { dispatch } from './dispatch.js';
import { OAuthSignIns, type StartedSignIn } from './oauth-sign-in.js';
import { type ServiceHarness, serviceOverExamples } from './testing/service-harness.js';
import {
  demoClient,
  freeLoopbackPort,
  oauthCodeConnection,
  playBrowser,
  writeConnectionFile,
} from './testing/sign-in-harness.js';

let acu: AcumaticaEmulator | undefined;
let tmp: ServiceHarness | undefined;
afterEach(async () => {
  await tmp?.close();
  await acu?.close();
  tmp = acu = undefined;
});

/** The examples workspace with an oauth-code connection to an emulator registering Ferry's redirect URI. */
async function setUp(options: { signInPage?: boolean; settings?: Record<string, unknown> } = {}) {
  const port = await freeLoopbackPort();
  acu = await startAcumaticaEmulator({ clients: [demoClient(port)], signInPage: options.signInPage });
  tmp = await serviceOverExamples({ watch: false });
  const connection = oauthCodeConnection(acu, port, { settings: options.settings });
  await writeConnectionFile(tmp.ws, connection);
  await tmp.secrets.set(connection.secrets.clientSecret.secret, ACUMATICA_DEMO.clientSecret);
  await tmp.service.open(tmp.ws);
  const events: ApiEvent[] = [];
  tmp.service.subscribe((e) => events.push(e));
  return { port, acu, tmp, events, connectionId: connection.id, account: 'examples/acu-oauth/refreshToken' };
}

async function call<T>(name: string, input: unknown): Promise<T> {
  const result = await dispatch(tmp!.service.handlers, name, input);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value as T;
}

/** Whether anything answers on this address (the listener must be gone after a sign-in ends). */
async function answers(host: string, port: number): Promise<boolean> {
  return fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/callback`, { signal: AbortSignal.timeout(2000) }) // prettier-ignore
    .then(() => true)
    .catch(() => false);
}

describe('browser sign-in (authorization code with PKCE)', () => {
  it('signs in: the refresh token stored and referenced, the status and events, the listener closed', async () => {
    const { port, acu, tmp, events, connectionId, account } = await setUp();
    const started = await call<{ url: string; expiresAt: string }>('startAuthorization', { connectionId });
    const url = new URL(started.url);
    expect(`${url.origin}${url.pathname}`).toBe(acu.authorizeUrl);
    expect(url.searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${port}/callback`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')).toMatch(/^[\w-]{43}$/);
    expect(await call('authorizationStatus', { connectionId })).toEqual({
      state: 'waiting',
      message: 'Waiting for the browser…',
      expiresAt: started.expiresAt,
    });

    const visit = await playBrowser(started.url);
    expect(visit.status).toBe(200);
    expect(visit.page).toContain('Ferry is signed in to Acumatica OAuth. You can close this tab.');
    const status = await call<{ state: string; message: string }>('authorizationStatus', { connectionId });
    expect(status).toEqual({
      state: 'signed-in',
      message: `Signed in to Acumatica at ${acu.instanceUrl} (tenant "MyStore") as OAuth client "${ACUMATICA_DEMO.clientId}"; the refresh token is stored and runs sign in with it`, // prettier-ignore
    });
    expect(events.filter((e) => e.type === 'authorization').map((e) => e.status.state)).toEqual(['waiting', 'signed-in']); // prettier-ignore

    const token = await tmp.secrets.get(account);
    expect(token).toMatch(/^[\w-]{20,}$/);
    const file = await readFile(join(tmp.ws, 'connections/acu-oauth.connection.json'), 'utf8');
    expect(JSON.parse(file).secrets.refreshToken).toEqual({ secret: account });
    const summary = (await call<{ id: string; storedSecrets: string[] }[]>('listConnections', {})).find((c) => c.id === connectionId); // prettier-ignore
    expect(summary?.storedSecrets).toEqual(['clientSecret', 'refreshToken']);
    // Nothing secret crossed the contract or reached the file; no API session was opened (no licence slot).
    const code = visit.redirect.searchParams.get('code')!;
    for (const text of [file, JSON.stringify(events), JSON.stringify(status)]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(code);
    }
    expect(acu.stats).toMatchObject({ tokensIssued: 1, logins: 0, openSessions: 0 });
    expect(await answers('127.0.0.1', port)).toBe(false);
  });

  it('refuses an answer with a wrong or missing state and keeps waiting for the real one', async () => {
    const { port, acu, connectionId } = await setUp();
    const started = await call<{ url: string }>('startAuthorization', { connectionId });
    for (const query of ['?code=forged&state=not-the-state', '?code=forged']) {
      const forged = await fetch(`http://127.0.0.1:${port}/callback${query}`);
      expect(forged.status).toBe(400);
      expect(await forged.text()).toContain('Not the sign-in Ferry is waiting for');
    }
    expect((await fetch(`http://127.0.0.1:${port}/favicon.ico`)).status).toBe(404);
    expect(acu.stats.tokensIssued).toBe(0);
    expect(await call('authorizationStatus', { connectionId })).toMatchObject({ state: 'waiting' });
    expect((await playBrowser(started.url)).page).toContain('Ferry is signed in');
  });

  it('an error= answer (Cancel on the sign-in page): failed in plain words, nothing stored', async () => {
    const { port, tmp, connectionId, account } = await setUp({ signInPage: true });
    const started = await call<{ url: string }>('startAuthorization', { connectionId });
    const visit = await playBrowser(started.url, 'cancel');
    expect(visit.redirect.searchParams.get('error')).toBe('access_denied');
    expect(visit.page).toContain('Ferry is not signed in');
    expect(visit.page).toContain('the sign-in was cancelled or refused in the browser (access_denied)');
    expect(await call('authorizationStatus', { connectionId })).toEqual({
      state: 'failed',
      message: 'the sign-in was cancelled or refused in the browser (access_denied)',
    });
    expect(await tmp.secrets.get(account)).toBeUndefined();
    expect(await answers('127.0.0.1', port)).toBe(false);
  });

  it('a refused code exchange (wrong client secret): the provider’s refusal, nothing stored', async () => {
    const { tmp, connectionId, account } = await setUp();
    await tmp.secrets.set('examples/acu-oauth/clientSecret', 'not-the-secret');
    const started = await call<{ url: string }>('startAuthorization', { connectionId });
    const visit = await playBrowser(started.url);
    expect(visit.page).toContain('Ferry is not signed in');
    const status = await call<{ state: string; message: string }>('authorizationStatus', { connectionId });
    expect(status.state).toBe('failed');
    expect(status.message).toMatch(/^Acumatica refused the sign-in of OAuth client ".*": invalid_client/);
    expect(status.message).not.toContain('not-the-secret');
    expect(await tmp.secrets.get(account)).toBeUndefined();
  });

  it('scopes without offline_access: no refresh token, so not signed in, with what to change', async () => {
    const { tmp, connectionId, account } = await setUp({ settings: { scopes: 'api' } });
    const started = await call<{ url: string }>('startAuthorization', { connectionId });
    expect((await playBrowser(started.url)).page).toContain('Ferry is not signed in');
    expect(await call('authorizationStatus', { connectionId })).toEqual({
      state: 'failed',
      message:
        'Acumatica signed in but issued no refresh token: add offline_access to the scopes ("api") and authorize again',
    });
    expect(await tmp.secrets.get(account)).toBeUndefined();
  });

  it('gives up after the timeout and closes the listener', async () => {
    const port = await freeLoopbackPort();
    acu = await startAcumaticaEmulator({ clients: [demoClient(port)] });
    tmp = await serviceOverExamples({ watch: false });
    await writeConnectionFile(tmp.ws, oauthCodeConnection(acu, port));
    const statuses: string[] = [];
    const signIns = new OAuthSignIns({
      registry: defaultRegistry(),
      secrets: tmp.secrets,
      workspace: () => loadWorkspace(tmp!.ws),
      timeoutMs: 200,
      onStatus: (_id, status) => statuses.push(status.state),
    });
    const started = await signIns.start('acu-oauth');
    expect(await started.done).toEqual({
      state: 'failed',
      message: 'no answer from the browser within 0.2 s: start the sign-in again',
    });
    expect(statuses).toEqual(['waiting', 'failed']);
    expect(await answers('127.0.0.1', port)).toBe(false);
  });

  it('a second start replaces the first: the first ends, its state is refused, the second signs in', async () => {
    const { port, connectionId, tmp } = await setUp();
    const signIns = tmp.service.signIns;
    const first: StartedSignIn = await signIns.start(connectionId);
    const second = await signIns.start(connectionId);
    expect(await first.done).toEqual({ state: 'failed', message: 'replaced by a newer sign-in of this connection' });
    expect(second.redirectUri).toBe(`http://127.0.0.1:${port}/callback`);
    await expect(playBrowser(first.url)).resolves.toMatchObject({ status: 400 });
    expect((await playBrowser(second.url)).page).toContain('Ferry is signed in');
    expect(await second.done).toMatchObject({ state: 'signed-in' });
  });

  it('listens on 127.0.0.1 only', async () => {
    const { port, connectionId } = await setUp();
    await call('startAuthorization', { connectionId });
    expect(await answers('127.0.0.1', port)).toBe(true);
    expect(await answers('::1', port)).toBe(false);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) expect(await answers(external.address, port)).toBe(false);
  });

  it('names what cannot be signed in: unknown connection, no browser sign-in, another grant, no redirect port, port taken', async () => {
    const { port, tmp, connectionId } = await setUp();
    await expect(call('startAuthorization', { connectionId: 'nope' })).rejects.toMatchObject({
      code: 'not-found',
      message: expect.stringMatching(/^no connection "nope" in Ferry examples \(connections: .*acu-oauth/),
    });
    await expect(call('startAuthorization', { connectionId: 'shop-api' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: 'connection "Shop API" uses the HTTP / REST connector, which has no browser sign-in',
    });
    const cookie = oauthCodeConnection(acu!, port, { id: 'acu-cookie', settings: { auth: 'cookie', username: 'admin' } }); // prettier-ignore
    await writeConnectionFile(tmp.ws, cookie);
    await expect(call('startAuthorization', { connectionId: 'acu-cookie' })).rejects.toMatchObject({
      code: 'invalid-input',
      message: expect.stringContaining('settings.auth: the connection signs in with cookie, which needs no browser; choose oauth-code'), // prettier-ignore
    });
    await writeConnectionFile(tmp.ws, oauthCodeConnection(acu!, undefined, { id: 'acu-no-port' }));
    await expect(call('startAuthorization', { connectionId: 'acu-no-port' })).rejects.toMatchObject({
      message: expect.stringMatching(/^settings\.redirectPort: Acumatica accepts only a redirect URI registered/),
    });
    await call('startAuthorization', { connectionId });
    await writeConnectionFile(tmp.ws, oauthCodeConnection(acu!, port, { id: 'acu-same-port' }));
    await expect(call('startAuthorization', { connectionId: 'acu-same-port' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(new RegExp(`^settings\\.redirectPort: port ${port} of 127\\.0\\.0\\.1 is in use`)),
    });
  });
});
