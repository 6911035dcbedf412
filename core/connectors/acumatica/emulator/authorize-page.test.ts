/**
 * The emulator's sign-in page (`signInPage`): the authorization request shows a form carrying its parameters; a
 * wrong password shows it again; signing in redirects with a code for that user; Cancel answers access_denied; an
 * unregistered redirect URI gets the error page and never a form.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACUMATICA_DEMO, type AcumaticaEmulator, startAcumaticaEmulator } from './index.js';
import { token } from './test-support.js';

let acu: AcumaticaEmulator;
beforeEach(async () => {
  acu = await startAcumaticaEmulator({
    signInPage: true,
    users: [
      { name: ACUMATICA_DEMO.userName, password: ACUMATICA_DEMO.password },
      { name: 'ada', password: 'Ada-Pa55' },
    ],
  });
});
afterEach(() => acu.close());

const request = (extra: Record<string, string> = {}) =>
  new URLSearchParams({ response_type: 'code', client_id: ACUMATICA_DEMO.clientId, redirect_uri: ACUMATICA_DEMO.redirectUri, scope: 'api offline_access', state: 'st<a>te', ...extra }); // prettier-ignore

function submit(fields: Record<string, string>, query = request()) {
  const form = new URLSearchParams(query);
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return fetch(acu.authorizeUrl, { method: 'POST', body: form, redirect: 'manual' });
}

describe('the sign-in page of /identity/connect/authorize', () => {
  it('shows a form that carries the request (escaped), without redirecting', async () => {
    const page = await fetch(`${acu.authorizeUrl}?${request()}`, { redirect: 'manual' });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('<input type="hidden" name="state" value="st&lt;a&gt;te">');
    expect(html).toContain('name="password" type="password"');
  });

  it('a wrong password shows the form again; the right one redirects with a code for that user', async () => {
    const wrong = await submit({ username: 'ada', password: 'nope', action: 'sign-in' });
    expect(wrong.status).toBe(200);
    expect(await wrong.text()).toContain('Invalid credentials. Please try again.');
    const right = await submit({ username: 'ada', password: 'Ada-Pa55', action: 'sign-in' });
    expect(right.status).toBe(302);
    const back = new URL(right.headers.get('location')!);
    expect(back.searchParams.get('state')).toBe('st<a>te');
    const tokens = await token(acu, { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: ACUMATICA_DEMO.redirectUri }); // prettier-ignore
    expect(tokens.status).toBe(200);
  });

  it('Cancel answers access_denied with the state', async () => {
    const cancel = await submit({ action: 'cancel' });
    expect(cancel.status).toBe(302);
    const back = new URL(cancel.headers.get('location')!);
    expect(Object.fromEntries(back.searchParams)).toEqual({ state: 'st<a>te', error: 'access_denied' });
  });

  it('an unregistered redirect URI gets the error page, on GET and POST', async () => {
    const stranger = request({ redirect_uri: 'http://127.0.0.1:1/callback' });
    const page = await fetch(`${acu.authorizeUrl}?${stranger}`, { redirect: 'manual' });
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('unauthorized_client');
    const posted = await submit({ username: 'ada', password: 'Ada-Pa55', action: 'sign-in' }, stranger);
    expect(posted.status).toBe(400);
    expect((await submit({ action: 'cancel' }, stranger)).status).toBe(400);
  });
});
