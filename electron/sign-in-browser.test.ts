import { describe, expect, it, vi } from 'vitest';
import { isSignInPageUrl, openSignInPage } from './sign-in-browser.js';

describe('the sign-in page in the system browser', () => {
  it('opens the address a started sign-in returns, and nothing else', () => {
    const openExternal = vi.fn(async () => undefined);
    const url = 'http://127.0.0.1:4031/MyStoreInstance/identity/connect/authorize?state=x';
    openSignInPage('startAuthorization', { ok: true, value: { url, expiresAt: 'later' } }, openExternal);
    openSignInPage('startAuthorization', { ok: false, error: { code: 'not-found', message: 'no' } }, openExternal);
    openSignInPage('loadFlow', { ok: true, value: { url } }, openExternal);
    openSignInPage('startAuthorization', { ok: true, value: { url: 'file:///etc/passwd' } }, openExternal);
    expect(openExternal.mock.calls).toEqual([[url]]);
  });

  it('takes http(s) without credentials only', () => {
    expect(isSignInPageUrl('https://contoso.acumatica.com/identity/connect/authorize')).toBe(true);
    expect(isSignInPageUrl('http://erp.corp.local/AcumaticaERP/identity/connect/authorize')).toBe(true);
    for (const bad of ['javascript:alert(1)', 'ferry-app://app/', 'https://user:pw@host/x', 'not a url', 'file:///x'])
      expect(isSignInPageUrl(bad), bad).toBe(false);
  });
});
