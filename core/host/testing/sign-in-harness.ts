/**
 * Test helpers (only tests import this) for browser sign-ins against the Acumatica emulator: a free loopback port
 * for the connection's registered redirect URI, an oauth-code connection file, and the browser's part played with
 * fetch (the authorization request, the emulator's sign-in form, the redirect back to Ferry's listener).
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  ACUMATICA_DEMO,
  type AcuOAuthClient,
  type AcumaticaEmulator,
} from '../../connectors/acumatica/emulator/index.js';

/** A port nobody listens on right now (the OS's choice), for a redirect URI the provider must have registered. */
export async function freeLoopbackPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The demo OAuth client with Ferry's redirect URI on `port` registered (SM303010's Redirect URIs tab). */
export function demoClient(port: number): AcuOAuthClient {
  return {
    clientId: ACUMATICA_DEMO.clientId,
    clientSecret: ACUMATICA_DEMO.clientSecret,
    redirectUris: [`http://127.0.0.1:${port}/callback`],
  };
}

/** An Acumatica connection signing in with the authorization code: `connections/<id>.connection.json`. */
export function oauthCodeConnection(
  acu: AcumaticaEmulator,
  port: number | undefined,
  options: { id?: string; workspaceId?: string; settings?: Record<string, unknown> } = {},
) {
  const id = options.id ?? 'acu-oauth';
  return {
    schemaVersion: 1,
    id,
    name: 'Acumatica OAuth',
    connector: 'acumatica',
    settings: {
      instanceUrl: acu.instanceUrl,
      auth: 'oauth-code',
      clientId: ACUMATICA_DEMO.clientId,
      timeoutMs: 5000,
      ...(port === undefined ? {} : { redirectPort: port }),
      ...options.settings,
    },
    secrets: { clientSecret: { secret: `${options.workspaceId ?? 'examples'}/${id}/clientSecret` } },
  };
}

export async function writeConnectionFile(ws: string, connection: { id: string }): Promise<void> {
  await writeFile(join(ws, 'connections', `${connection.id}.connection.json`), JSON.stringify(connection, null, 2));
}

export interface BrowserVisit {
  /** Where the provider sent the browser back (Ferry's redirect URI with code or error, and state). */
  redirect: URL;
  status: number;
  page: string;
}

/**
 * The browser's part: opens the authorization URL; on the emulator's sign-in page posts the form (`signIn`: the
 * demo user's name and password, or `cancel`); follows the redirect to Ferry's listener and reads its page.
 */
export async function playBrowser(url: string, choice: 'sign-in' | 'cancel' = 'sign-in'): Promise<BrowserVisit> {
  let answer = await fetch(url, { redirect: 'manual' });
  if (answer.status === 200) {
    const form = new URLSearchParams(new URL(url).searchParams);
    form.set('username', ACUMATICA_DEMO.userName);
    form.set('password', ACUMATICA_DEMO.password);
    form.set('action', choice);
    answer = await fetch(url.split('?')[0]!, { method: 'POST', body: form, redirect: 'manual' });
  }
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`no redirect: HTTP ${answer.status} ${await answer.text()}`);
  const redirect = new URL(location);
  const back = await fetch(redirect);
  return { redirect, status: back.status, page: await back.text() };
}
