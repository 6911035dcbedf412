import { ACUMATICA_DEMO, DEFAULT_LIMITS, startAcumaticaEmulator } from '../connectors/acumatica/emulator/index.js';
import type { AcumaticaEmulator } from '../connectors/acumatica/emulator/index.js';
import type { CliIO } from './io.js';

/** `ferry emulate acumatica`: starts the local Acumatica and prints what a connection needs. */
export async function startAcumaticaForCli(
  options: { port?: number; dataFile?: string },
  io: CliIO,
): Promise<AcumaticaEmulator> {
  const acu = await startAcumaticaEmulator({ port: options.port, dataFile: options.dataFile, signInPage: true });
  const k = ACUMATICA_DEMO.keys;
  io.stdout.write(
    `Acumatica emulator on ${acu.url} (127.0.0.1 only)\n\n` +
      `Instance       ${acu.instanceUrl}\n` +
      `Endpoints      ${acu.endpointUrl('Default')}  (also MANUFACTURING, eCommerce; GET ${acu.instanceUrl}/entity lists them)\n\n` +
      `Sign-in (cookie session): POST ${acu.instanceUrl}/entity/auth/login\n` +
      `  user         ${ACUMATICA_DEMO.userName}\n` +
      `  password     ${ACUMATICA_DEMO.password}\n` +
      `  tenant       ${ACUMATICA_DEMO.tenant}, branch ${ACUMATICA_DEMO.branch}\n\n` +
      `OAuth 2.0 (password, authorization_code with PKCE, refresh_token; scope api offline_access):\n` +
      `  token        ${acu.tokenUrl}\n` +
      `  authorize    ${acu.authorizeUrl}  (a sign-in page: the user and password above)\n` +
      `  client id    ${ACUMATICA_DEMO.clientId}\n` +
      `  secret       ${ACUMATICA_DEMO.clientSecret}\n` +
      `  redirect     ${ACUMATICA_DEMO.redirectUri}  (a connection's redirectPort ${new URL(ACUMATICA_DEMO.redirectUri).port})\n\n` +
      `Licence: ${DEFAULT_LIMITS.apiUsers} API users, ${DEFAULT_LIMITS.concurrentRequests} concurrent requests, ${DEFAULT_LIMITS.requestsPerMinute} requests a minute\n` +
      `Demo records: customer ${k.customer}, sales order ${k.salesOrder.join('/')}, invoice ${k.heldInvoice.join('/')} (on hold), ` +
      `stock items ${k.stockItems.join(', ')}\n\n` +
      `Data: ${options.dataFile ? `${options.dataFile} (kept across restarts)` : 'in memory (use --data <file> to keep it)'}\n` +
      'Press Ctrl+C to stop.\n',
  );
  return acu;
}
