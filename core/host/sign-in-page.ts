import type { ServerResponse } from 'node:http';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The page the browser shows after the provider sent it back to Ferry's redirect listener. It loads nothing (the
 * address bar still holds the code: no request may carry it on as a Referer) and runs no script.
 */
export function signInPageHtml(title: string, message: string): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>${escapeHtml(title)}</title>
    <style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem}</style>
  </head>
  <body>
    <h1>${escapeHtml(title)}</h1>
    <p>${escapeHtml(message)}</p>
  </body>
</html>
`;
}

export function sendSignInPage(res: ServerResponse, status: number, title: string, message: string): Promise<void> {
  return new Promise((resolve) => {
    res.writeHead(status, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'",
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'close',
    });
    // A connection dropped meanwhile (the sign-in was cancelled) never calls end's callback.
    res.once('close', () => resolve());
    res.end(signInPageHtml(title, message), () => resolve());
  });
}
