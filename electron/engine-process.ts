import { join } from 'node:path';
import { openSessions } from '../core/connectors/open-sessions.js';
import { defaultRegistry } from '../core/connectors/registry.js';
import { DemoSystems, demoPorts, demoWorkspace } from '../core/host/demo-systems.js';
import { FerryService } from '../core/host/ferry-service.js';
import { checkSecretStore } from '../core/secrets/open-secret-store.js';
import { SecretSwitch } from '../core/secrets/secret-switch.js';
import { appDataDir } from '../core/store/app-data.js';
import { RUN_STATE_FILE, RunStateStore } from '../core/store/run-state.js';
import { openSettings } from '../core/store/settings.js';
import { serveEngine } from './engine-server.js';

/**
 * Entry of the engine's utility process (bundled to dist/electron/engine-process.mjs). Runs, SQLite and file
 * watching live here, so a long run or a crash in a connector never freezes or takes down the window. The process
 * has no `app`: main passes the app-data folder as `--data-dir=<path>`.
 */
export function argValue(argv: readonly string[], name: string): string | undefined {
  const arg = argv.find((a) => a.startsWith(`--${name}=`));
  return arg ? arg.slice(name.length + 3) : undefined;
}

const port = process.parentPort;
if (!port) throw new Error('engine-process.mjs runs only as an Electron utility process');

const dataDir = argValue(process.argv, 'data-dir') ?? appDataDir();
const runState = new RunStateStore(join(dataDir, RUN_STATE_FILE));
const settings = openSettings(dataDir);
// The demo systems run beside the engine when asked for: `--demo` (npm start) or the app's "Start demo systems".
const startDemo = process.argv.includes('--demo');
function demoSystemPorts(): Record<string, number> {
  try {
    return demoPorts(process.env);
  } catch (error) {
    console.warn(`[ferry] ${String((error as Error).message)}: the demo systems use their own ports`);
    return demoPorts({});
  }
}
const demo = new DemoSystems(demoSystemPorts());
// The same store as `ferry run` and `ferry serve` (FERRY_SECRETS, default the OS keychain), so a connection saved
// here runs headless on this machine; the user may choose the encrypted vault in the UI instead. The demo
// systems' secrets are served in front of the store, never written anywhere.
const secrets = new SecretSwitch({ env: process.env, dataDir, settings, misconfigured: 'report' });
// Not fatal without a keychain: the window still opens, flows without secrets run, the UI says why and offers the
// vault.
const secretWarning = await checkSecretStore(secrets.active).catch((error: unknown) => String(error));
if (secretWarning) console.warn(`[ferry] ${secretWarning}`);
const service = new FerryService({
  registry: defaultRegistry(),
  secrets: demo.secretsOver(secrets),
  secretControl: secrets,
  runState,
  settings,
  demo,
});
// The window opens on: the folder named on the command line, the demo workspace, or the last workspace used.
const startDir =
  argValue(process.argv, 'workspace') ??
  (startDemo ? await demoWorkspace(dataDir) : settings.get('recentWorkspaces')?.[0]?.dir);
if (startDir) {
  await service
    .open(startDir)
    .catch((error: unknown) => console.warn(`[ferry] cannot open ${startDir}: ${String(error)}`));
}
if (startDemo) {
  const started = await service.handlers.startDemoSystems({});
  for (const line of [...started.systems.map((s) => s.message), ...started.messages]) console.log(`[ferry] ${line}`);
}

serveEngine(port, service, async () => {
  await service.close();
  // Cancelled runs signed their sessions out as they closed; anything left is signed out here.
  await openSessions.closeAll();
  runState.close();
  await demo.close();
  process.exit(0);
});
