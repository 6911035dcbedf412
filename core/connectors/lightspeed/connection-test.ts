import type { RecordData } from '../../engine/record.js';
import { probeConnection } from '../probe-connection.js';
import { openHttp } from '../net/http-factory.js';
import type { ConnectorContext, TestResult } from '../types.js';
import { storeOrigin } from './auth.js';
import { type LsOptions, type Connected, connect, connectionSettings } from './connect.js';

/**
 * "Test connection": the store's name (GET /retailer), its outlets and registers — the registers also set the rate
 * budget — once, without retries (the user is waiting). With OAuth and nothing to store the rotated refresh token
 * (a host testing unsaved values), or no refresh token yet, the token is not spent: the test only checks that the
 * store answers, and the browser sign-in does the rest.
 */
export async function testConnection(ctx: ConnectorContext, options: LsOptions = {}): Promise<TestResult> {
  const { settings, label } = connectionSettings(ctx);
  if (settings.auth === 'oauth' && (!ctx.saveSecret || !(await ctx.secret('refreshToken')))) {
    return probeUnsigned(ctx, settings, label);
  }
  return probeConnection(
    ctx.signal,
    () => connect(ctx, options, 1),
    (connected) => probe(connected, ctx.signal),
    (connected) => connected.client.transport.warnings,
  );
}

async function probe({ client, settings }: Connected, signal: AbortSignal): Promise<TestResult> {
  const retailer = await client.retailer(signal, 1);
  const outlets = (await client.all('outlets', signal, 1)).filter((o) => !o.deleted_at);
  const registers = (await client.all('registers', signal, 1)).filter((r) => !r.deleted_at);
  const prefix = String(retailer.domain_prefix ?? '');
  const where = `"${String(retailer.name ?? prefix)}" (${prefix || settings.domainPrefix})`;
  if (prefix && prefix.toLowerCase() !== settings.domainPrefix.toLowerCase()) {
    return { ok: false, message: `the store at ${storeOrigin(settings)} is ${where}, but the connection names the domain prefix "${settings.domainPrefix}"` }; // prettier-ignore
  }
  const count = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const perRegister = settings.rateLimit?.perRegister ?? 300;
  const limit = perRegister * Math.max(1, registers.length) + (settings.rateLimit?.base ?? 50);
  return {
    ok: true,
    message:
      `connected to ${where} with ${client.init.principal}; ${count(outlets.length, 'outlet')}, ` +
      `${count(registers.length, 'register')} (rate limit ${limit.toLocaleString('en-US')} requests per ` +
      `${(settings.rateLimit?.windowSeconds ?? 300) / 60} minutes)`,
    details: outlets.map((o) => outletLine(o, registers)),
  };
}

function outletLine(outlet: RecordData, registers: readonly RecordData[]): string {
  const own = registers.filter((r) => r.outlet_id === outlet.id).map((r) => String(r.name));
  const city = outlet.physical_city ? `, ${String(outlet.physical_city)}` : '';
  return `${String(outlet.name)}${city}: ${own.length > 0 ? own.join(', ') : 'no registers'}`;
}

/** The store answers at its address (a 401 without a token says it exists); nothing is spent. */
async function probeUnsigned(
  ctx: ConnectorContext,
  settings: Connected['settings'],
  label: string,
): Promise<TestResult> {
  // prettier-ignore
  const url = `${storeOrigin(settings)}/api/2.0/retailer`;
  return probeConnection(
    ctx.signal,
    () => openHttp(ctx, settings, label),
    async (http) => {
      const response = await http.fetch(url, { method: 'GET', headers: { accept: 'application/json' }, signal: ctx.signal }); // prettier-ignore
      await response.arrayBuffer().catch(() => undefined);
      if (response.status !== 401 && response.status !== 200) {
        return { ok: false, message: `GET ${url} answered HTTP ${response.status}: check the domain prefix` };
      }
      const why = (await ctx.secret('refreshToken'))
        ? 'the refresh token was not used: Lightspeed replaces it on use, and this test could not store the new one'
        : 'authorize the connection in the browser (Authorize…) to sign in';
      return { ok: true, message: `the Lightspeed store ${storeOrigin(settings)} answers; ${why}` };
    },
    (http) => http.warnings,
  );
}
