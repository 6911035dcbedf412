import { probeConnection } from '../probe-connection.js';
import type { ConnectorContext, TestResult } from '../types.js';
import { acumaticaVersions } from './catalog.js';
import { parseJsonBody } from '../net/retry.js';
import { parseServerInfo } from './client.js';
import { type AcuOptions, type Connected, connect } from './connect.js';

/**
 * "Test connection": sign in (once: no waiting on the licence), read `GET {instance}/entity` for the ERP build and
 * the endpoints the server offers, read one record of an entity of the chosen endpoint version, sign out. Its
 * session is its own (a run's session is not borrowed, so the typed credentials are the ones tested). Saving after
 * a passing test does not sign in again: the contract's test token vouches for the values.
 */
export async function testConnection(ctx: ConnectorContext, options: AcuOptions = {}): Promise<TestResult> {
  // Not signed in yet: the browser sign-in needs a saved connection, and saving needs a passing test.
  const signedOut =
    (ctx.connection?.settings as { auth?: unknown } | undefined)?.auth === 'oauth-code' &&
    !(await ctx.secret('refreshToken'));
  return probeConnection(
    ctx.signal,
    () => connect(ctx, options, false, signedOut ? ['refreshToken'] : []),
    (connected) =>
      connected.settings.auth === 'oauth-code' && (signedOut || !ctx.saveSecret)
        ? probeUnsigned(connected, ctx.signal, signedOut)
        : probe(connected, ctx.signal),
    (connected) => connected.session.init.http.warnings,
  );
}

/**
 * OAuth with a refresh token, where the test cannot store one (a host testing values not saved yet): signing in
 * would spend the token — Acumatica rotates it on use — and lose its successor, leaving the connection with a dead
 * one. So the test only checks that the instance answers and names its endpoints; the first run signs in. Without a
 * refresh token (`signedOut`) there is nothing to sign in with yet: the same check, and what to do next.
 */
async function probeUnsigned(
  { client, settings, session }: Connected,
  signal: AbortSignal,
  signedOut = false,
): Promise<TestResult> {
  const url = `${client.init.instance}/entity`;
  const response = await session.init.http.fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal }); // prettier-ignore
  const text = await response.text();
  if (!response.ok)
    return { ok: false, message: `GET ${url} answered HTTP ${response.status}: check the instance URL` };
  const info = parseServerInfo(parseJsonBody(text));
  const { endpoint, version } = client.catalog;
  return {
    ok: true,
    message:
      `${info.build ? `Acumatica ${info.build}` : 'Acumatica'} answers at ${settings.instanceUrl} (endpoint ${endpoint} ` +
      `${version}); ${
        signedOut
          ? 'not signed in yet: save the connection, then Authorize… to sign in through the browser'
          : 'the refresh token was not used: Acumatica replaces it on use, and the first run stores the new one'
      }`,
    details: info.endpoints.map((e) => `${e.name} ${e.version}`),
  };
}

async function probe({ client, settings, session }: Connected, signal: AbortSignal): Promise<TestResult> {
  await session.open(signal, 1);
  const info = await client.serverInfo(signal);
  const { endpoint, version } = client.catalog;
  const offered = info.endpoints.filter((e) => e.name === endpoint).map((e) => e.version);
  const details = info.endpoints.map((e) => `${e.name} ${e.version}`);
  const build = info.build ? `Acumatica ${info.build}` : 'Acumatica';
  const where = `${build} at ${settings.instanceUrl} as ${client.init.principal}`;
  if (!offered.includes(version)) {
    const shipped = acumaticaVersions(endpoint);
    const usable = offered.filter((v) => shipped.includes(v));
    const hint =
      usable.length > 0
        ? `choose one of ${usable.join(', ')}`
        : offered.length > 0
          ? `Ferry ships ${shipped.join(', ')}; the server offers ${offered.join(', ')}`
          : `the server offers no ${endpoint} endpoint (see the list)`;
    return {
      ok: false,
      message: `signed in to ${where}, but it has no ${endpoint} endpoint ${version}: ${hint}`,
      details,
    };
  }
  // One real read of the chosen endpoint: its URL space exists and the user may read it.
  const entity = ['Customer', 'StockItem', 'BillOfMaterial'].find((name) => client.catalog.entity(name)?.topLevel);
  if (entity) {
    const pages = client.pages(entity, { fields: [...client.entity(entity).keys], pageSize: 1, signal });
    await pages.next();
    await pages.return(undefined);
  }
  return { ok: true, message: `signed in to ${where}; endpoint ${endpoint} ${version}`, details };
}
