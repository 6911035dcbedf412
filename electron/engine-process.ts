import { join } from 'node:path';
import { defaultRegistry } from '../core/connectors/registry.js';
import { FerryService } from '../core/host/ferry-service.js';
import { EnvSecretStore } from '../core/secrets/secret-store.js';
import { appDataDir } from '../core/store/app-data.js';
import { RUN_STATE_FILE, RunStateStore } from '../core/store/run-state.js';
import { openSettings } from '../core/store/settings.js';
import { serveEngine } from './engine-server.js';

/**
 * Entry of the engine's utility process (bundled to dist/electron/engine-process.mjs). Runs, SQLite and file
 * watching live here, so a long run or a crash in a connector never freezes or takes down the window. The process
 * has no `app`: main passes the app-data folder as `--data-dir=<path>`.
 */
export function dataDirFromArgv(argv: readonly string[]): string | undefined {
  const arg = argv.find((a) => a.startsWith('--data-dir='));
  return arg ? arg.slice('--data-dir='.length) : undefined;
}

const port = process.parentPort;
if (!port) throw new Error('engine-process.mjs runs only as an Electron utility process');

const dataDir = dataDirFromArgv(process.argv) ?? appDataDir();
const runState = new RunStateStore(join(dataDir, RUN_STATE_FILE));
// The OS keychain store replaces EnvSecretStore with the connections issue.
const service = new FerryService({
  registry: defaultRegistry(),
  secrets: new EnvSecretStore(process.env),
  runState,
  settings: openSettings(dataDir),
});

serveEngine(port, service, async () => {
  await service.close();
  runState.close();
  process.exit(0);
});
