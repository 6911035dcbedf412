import path from 'node:path';
import { BC_DEMO, demoOnPremAuth, startBcEmulator } from '../connectors/business-central/emulator/index.js';
import { BC_SCOPE } from '../connectors/business-central/emulator/token-endpoint.js';
import { startAcumaticaForCli } from './emulate-acumatica.js';
import { startLightspeedForCli } from './emulate-lightspeed.js';
import { EXIT, type CliIO, UsageError } from './io.js';

const portInUse = (port: number | undefined) => (error: NodeJS.ErrnoException) => {
  if (error.code === 'EADDRINUSE') throw new UsageError(`--port ${port}: that port is already in use`);
  throw error;
};

/** Serves until Ctrl+C (io.signal), then closes the emulator. */
async function untilAborted(emulator: { close(): Promise<void> }, io: CliIO): Promise<number> {
  await new Promise<void>((resolve) => {
    if (!io.signal || io.signal.aborted) return resolve();
    io.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.close();
  return EXIT.ok;
}

export const EMULATORS = ['business-central', 'acumatica', 'lightspeed'] as const;

export interface EmulateOptions {
  port?: number;
  data?: string;
}

/** `ferry emulate <system>`: the local system until Ctrl+C, with what a connection needs. */
export async function emulateCommand(system: string, options: EmulateOptions, io: CliIO): Promise<number> {
  if (!(EMULATORS as readonly string[]).includes(system)) {
    throw new UsageError(`unknown system "${system}" (expected one of: ${EMULATORS.join(', ')}). See ferry emulate --help.`); // prettier-ignore
  }
  const dataFile = options.data === undefined ? undefined : path.resolve(io.cwd, options.data);
  if (system === 'acumatica') return untilAborted(await startAcumaticaForCli({ port: options.port, dataFile }, io).catch(portInUse(options.port)), io); // prettier-ignore
  if (system === 'lightspeed') return untilAborted(await startLightspeedForCli({ port: options.port, dataFile }, io).catch(portInUse(options.port)), io); // prettier-ignore
  const bc = await startBcEmulator({ port: options.port, dataFile, onPremAuth: demoOnPremAuth() }).catch(
    portInUse(options.port),
  );
  const { usa, international } = BC_DEMO.companies;
  io.stdout.write(
    `Business Central emulator on ${bc.url} (127.0.0.1 only)\n\n` +
      `Online (API v2.0, OAuth client credentials):\n` +
      `  API          ${bc.onlineApiUrl('v2.0')}\n` +
      `  token        ${bc.tokenUrl}\n` +
      `  tenant       ${bc.tenantId} (or ${BC_DEMO.tenantDomain}), environment ${bc.environment}\n` +
      `  client id    ${BC_DEMO.clientId}\n` +
      `  secret       ${BC_DEMO.clientSecret}\n` +
      `  scope        ${BC_SCOPE}\n\n` +
      `On premises (BC14, API v1.0 and v2.0, Basic or Windows/NTLM auth):\n` +
      `  API          ${bc.onPremApiUrl('v1.0')}  |  ${bc.onPremApiUrl('v2.0')}\n` +
      `  user         ${BC_DEMO.userName}\n` +
      `  password     ${BC_DEMO.password}  (or web service access key ${BC_DEMO.webServiceAccessKey})\n` +
      `  windows      any domain\\${BC_DEMO.userName} with the password (NTLMv2)\n\n` +
      `Companies:\n  ${usa.id}  ${usa.name}\n  ${international.id}  ${international.name}\n\n` +
      `Data: ${dataFile ? `${dataFile} (kept across restarts)` : 'in memory (use --data <file> to keep it)'}\n` +
      'Press Ctrl+C to stop.\n',
  );
  return untilAborted(bc, io);
}
