// The sign-in page of the emulator's /identity/connect/authorize (option `signInPage`): the user signs in with an
// instance user's name and password, or cancels (access_denied), as on a real instance's login page. The form
// posts back to the same address with the authorization request's parameters as hidden fields.
import type { SessionTable } from './sessions.js';
import type { OAuthServer } from './oauth.js';

/** Fields of the form itself; every other posted field is a parameter of the authorization request. */
const FORM_FIELDS = new Set(['username', 'password', 'action']);

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface PageAnswer {
  status: number;
  location?: string;
  text?: string;
  html?: string;
}

export function signInPage(query: URLSearchParams, error?: string): string {
  const hidden = [...query]
    .filter(([name]) => !FORM_FIELDS.has(name))
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8"><title>Sign in · Acumatica (emulator)</title></head>
  <body>
    <h1>Acumatica emulator</h1>
    <p>Sign in to authorize the application <strong>${escapeHtml(query.get('client_id') ?? '')}</strong>.</p>
    ${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
    <form method="post">
      ${hidden}
      <label>Username <input name="username" autocomplete="username"></label>
      <label>Password <input name="password" type="password" autocomplete="current-password"></label>
      <button type="submit" name="action" value="sign-in">Sign in</button>
      <button type="submit" name="action" value="cancel">Cancel</button>
    </form>
  </body>
</html>
`;
}

/** GET: the form, or the error page of an unregistered client or redirect URI (no form is shown for those). */
export function showSignInPage(oauth: OAuthServer, query: URLSearchParams): PageAnswer {
  return oauth.unknownClient(query) ?? { status: 200, html: signInPage(query) };
}

/** POST: Cancel → access_denied; a wrong password → the form again; else the redirect with the code. */
export function submitSignInPage(oauth: OAuthServer, sessions: SessionTable, form: URLSearchParams): PageAnswer {
  const query = new URLSearchParams([...form].filter(([name]) => !FORM_FIELDS.has(name)));
  if (form.get('action') === 'cancel') return oauth.authorize(query, 'denied');
  const unknown = oauth.unknownClient(query);
  if (unknown) return unknown;
  const user = sessions.verify(form.get('username') ?? '', form.get('password') ?? '');
  if (!user) return { status: 200, html: signInPage(query, 'Invalid credentials. Please try again.') };
  return oauth.authorize(query, { user: user.name });
}
