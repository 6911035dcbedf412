import { DEFAULT_RATE_LIMITS, LIGHTSPEED_DEMO, startLightspeedEmulator } from '../connectors/lightspeed/emulator/index.js'; // prettier-ignore
import type { LightspeedEmulator } from '../connectors/lightspeed/emulator/index.js';
import type { CliIO } from './io.js';

/** `ferry emulate lightspeed`: starts the local Lightspeed store and prints what a connection needs. */
export async function startLightspeedForCli(
  options: { port?: number; dataFile?: string },
  io: CliIO,
): Promise<LightspeedEmulator> {
  const ls = await startLightspeedEmulator({ port: options.port, dataFile: options.dataFile });
  const registers = ls.store.active('registers').length;
  const { perRegister, base, windowMs } = DEFAULT_RATE_LIMITS;
  io.stdout.write(
    `Lightspeed Retail (X-Series) emulator on ${ls.url} (127.0.0.1 only)\n\n` +
      `Store          ${LIGHTSPEED_DEMO.storeName}, domain prefix ${LIGHTSPEED_DEMO.domainPrefix}\n` +
      `API            ${ls.apiUrl}  (2.1 product updates and 0.9 register_sales beside it)\n` +
      `Connection     domainPrefix ${LIGHTSPEED_DEMO.domainPrefix}, baseUrl ${ls.url}\n\n` +
      `Personal token ${LIGHTSPEED_DEMO.personalToken}\n\n` +
      `OAuth 2.0 (authorization code, rotating refresh tokens):\n` +
      `  authorize    ${ls.authorizeUrl}  (an approval page: Allow / Deny)\n` +
      `  token        ${ls.tokenUrl}\n` +
      `  client id    ${LIGHTSPEED_DEMO.clientId}\n` +
      `  secret       ${LIGHTSPEED_DEMO.clientSecret}\n` +
      `  redirect     ${LIGHTSPEED_DEMO.redirectUri}\n\n` +
      `Rate limit: ${perRegister} × ${registers} registers + ${base} = ${ls.rateLimit()} requests per ${windowMs / 60_000} minutes per application\n` + // prettier-ignore
      `Outlets: ${LIGHTSPEED_DEMO.outlets.join(', ')}\n` +
      `Demo records: products ${LIGHTSPEED_DEMO.skus.cup}, ${LIGHTSPEED_DEMO.skus.kettle}, variants ${LIGHTSPEED_DEMO.skus.tees.join(', ')}; ` + // prettier-ignore
      `customers ${LIGHTSPEED_DEMO.customers.person}, ${LIGHTSPEED_DEMO.customers.company} (company)\n\n` +
      `Data: ${options.dataFile ? `${options.dataFile} (kept across restarts)` : 'in memory (use --data <file> to keep it)'}\n` + // prettier-ignore
      'Press Ctrl+C to stop.\n',
  );
  return ls;
}
