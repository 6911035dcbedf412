import type { DispatchResult } from '../core/host/dispatch.js';
import type { ApiMethodName } from '../core/model/api-names.js';

/**
 * The provider's sign-in page may be plain http (an on-premises instance, an emulator): unlike links in the page
 * (web-security.ts: https only), this address comes from the engine, built from the connection's own settings.
 * Still nothing but http(s), and never credentials in the URL.
 */
export function isSignInPageUrl(raw: string): boolean {
  try {
    const url = new URL(raw);
    return /^https?:$/.test(url.protocol) && url.username === '' && url.password === '' && url.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * After the engine started a connection's browser sign-in, main opens the provider's page in the system browser:
 * the sandboxed window may open no window itself, and the user signs in where their password manager and single
 * sign-on live. The page answers to the engine's listener on 127.0.0.1.
 */
export function openSignInPage(
  method: ApiMethodName,
  result: DispatchResult,
  openExternal: (url: string) => Promise<void>,
): void {
  if (method !== 'startAuthorization' || !result.ok) return;
  const url = (result.value as { url?: unknown }).url;
  if (typeof url === 'string' && isSignInPageUrl(url)) void openExternal(url).catch(() => undefined);
}
