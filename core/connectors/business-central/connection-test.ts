import { errorMessage } from '../errors.js';
import { probeConnection } from '../probe-connection.js';
import type { ConnectorContext, TestResult } from '../types.js';
import { notFoundProblem } from './bc-error.js';
import type { Company } from './client.js';
import { type BcOptions, type Connected, connect } from './connect.js';

/**
 * "Test connection": sign in and list the companies, once, without retries (the user is waiting on a button).
 * Online it also names the environment and its version (companies carry `systemVersion`); on premises a 404 is
 * told apart: OData answering while the API does not means API services are off, neither means a wrong instance.
 * The configured company must be among those listed.
 */
export function testConnection(ctx: ConnectorContext, options: BcOptions = {}): Promise<TestResult> {
  return probeConnection(
    ctx.signal,
    () => connect(ctx, options),
    (connected) => probe(connected, ctx.signal),
    (connected) => connected.client.transport.warnings,
  );
}

async function probe({ client, settings }: Connected, signal: AbortSignal): Promise<TestResult> {
  const online = settings.mode === 'online';
  let companies: Company[];
  try {
    companies = await client.companies(signal, 1);
  } catch (error) {
    if (!online && /\(HTTP 404 GET /.test(errorMessage(error))) {
      const odata = await client.send({
        method: 'GET',
        url: `${(settings.baseUrl ?? '').replace(/\/+$/, '')}/ODataV4/`,
        signal,
        maxAttempts: 1,
      });
      return { ok: false, message: notFoundProblem(`GET ${client.url('companies')}`, false, odata.status < 400) };
    }
    throw error;
  }
  const list = companies.map(
    (c) => `${c.name}${c.displayName && c.displayName !== c.name ? ` — ${c.displayName}` : ''} (${c.id})`,
  );
  const where = online
    ? `environment "${settings.environment}"${version(companies)}`
    : `${settings.baseUrl} (API ${settings.apiVersion})`;
  if (companies.length === 0) return { ok: false, message: `${where} has no companies the user may see` };
  const connected = `connected to ${where} as ${client.init.principal}`;
  const count = `${companies.length} ${companies.length === 1 ? 'company' : 'companies'}`;
  const wanted = settings.company;
  if (!wanted)
    return { ok: false, message: `${connected} (${count}): choose the company, by id or name`, details: list };
  const match = companies.find((c) => c.id === wanted || c.name === wanted || c.displayName === wanted);
  if (!match) {
    return {
      ok: false,
      message: `company "${wanted}" not found in ${where}: pick one of the companies below (by id or name)`,
      details: list,
    };
  }
  return {
    ok: true,
    message: `${connected}; company "${match.name}" (${match.id}); ${count}`,
    details: list,
  };
}

function version(companies: readonly Company[]): string {
  const found = companies.find((c) => typeof c.systemVersion === 'string' && c.systemVersion !== '')?.systemVersion;
  return found ? `, Business Central ${found}` : '';
}
