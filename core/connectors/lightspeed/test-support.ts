/**
 * Test helpers (not shipped: only tests import this): a connector context for a Lightspeed connection whose
 * secrets live in a map (with a saveSecret, unless asked not to), connection settings for the emulator, the
 * browser's part of the sign-in played with fetch, and records as the engine hands them to a destination.
 */
import type { Semaphore } from '../../engine/concurrency-pools.js';
import type { FlowRecord, RecordData } from '../../engine/record.js';
import { type TestContext, makeContext } from '../http/test-support.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator } from './emulator/index.js';

export { fakeClock } from '../net/fake-clock.js';

let contexts = 0;

export interface LsTestContext extends TestContext {
  /** What saveSecret stored, in order. */
  saved: { field: string; value: string }[];
  secrets: Record<string, string>;
}

export function lsContext(
  settings: Record<string, unknown>,
  secrets: Record<string, string>,
  options: { pool?: Semaphore; id?: string; canSave?: boolean; workspaceDir?: string } = {},
): LsTestContext {
  const ctx = makeContext(settings, secrets);
  const saved: { field: string; value: string }[] = [];
  // Each test's connection is its own unless it names one: refresh tokens are kept per connection in the process.
  const id = options.id ?? `ls-${++contexts}`;
  ctx.workspaceDir = options.workspaceDir ?? '/tmp/ferry-lightspeed-tests';
  ctx.connection = { schemaVersion: 1, id, name: id, connector: 'lightspeed', settings };
  if (options.canSave !== false) {
    ctx.saveSecret = async (field, value) => {
      saved.push({ field, value });
      secrets[field] = value;
    };
  }
  if (options.pool) {
    const pool = options.pool;
    ctx.limit = pool.limit;
    ctx.acquire = (signal) => pool.acquire(signal);
  }
  return Object.assign(ctx, { saved, secrets });
}

/** Personal-token settings for the emulator (`baseUrl`: the emulator's, or a proxy in front of it). */
export function demoSettings(baseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { domainPrefix: LIGHTSPEED_DEMO.domainPrefix, baseUrl, timeoutMs: 5000, ...extra };
}

export const demoSecrets = (): Record<string, string> => ({ personalToken: LIGHTSPEED_DEMO.personalToken });

export function oauthSettings(baseUrl: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return demoSettings(baseUrl, { auth: 'oauth', clientId: LIGHTSPEED_DEMO.clientId, redirectPort: 47391, ...extra });
}

/**
 * The browser's part of the authorization code flow: opens the approval page, posts its form with Allow (or Deny)
 * and returns the redirect's query — what the host's loopback listener would receive.
 */
export async function approveInBrowser(authorizationUrl: string, allow = true): Promise<URLSearchParams> {
  const page = await fetch(authorizationUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`the approval page answered ${page.status}: ${html}`);
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1];
  if (!action) throw new Error('the approval page has no form');
  const form = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(
      name!,
      value!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
    );
  }
  form.set('approve', allow ? 'yes' : 'no');
  const answer = await fetch(new URL(action, authorizationUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 302 || !location) throw new Error(`the approval answered ${answer.status} without a redirect`);
  return new URL(location).searchParams;
}

/** A refresh token of the demo application, obtained through the emulator's sign-in (for tests of later steps). */
export async function demoRefreshToken(ls: LightspeedEmulator): Promise<string> {
  const query = new URLSearchParams({ response_type: 'code', client_id: LIGHTSPEED_DEMO.clientId, redirect_uri: LIGHTSPEED_DEMO.redirectUri, state: 's' }); // prettier-ignore
  const back = await approveInBrowser(`${ls.authorizeUrl}?${query.toString()}`);
  const form = new URLSearchParams({ grant_type: 'authorization_code', code: back.get('code')!, client_id: LIGHTSPEED_DEMO.clientId, client_secret: LIGHTSPEED_DEMO.clientSecret, redirect_uri: LIGHTSPEED_DEMO.redirectUri }); // prettier-ignore
  const answer = await fetch(ls.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }); // prettier-ignore
  return ((await answer.json()) as { refresh_token: string }).refresh_token;
}

export function record(
  data: RecordData,
  key = String(data.sku ?? data.email ?? data.id ?? '?'),
  createOnly?: string[],
): FlowRecord {
  // prettier-ignore
  return { data, source: data, lineage: { node: 'src', key, page: 0 }, ...(createOnly ? { createOnly } : {}) };
}
