import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRegistry } from '../../connectors/registry.js';
import { FerryService } from '../../host/ferry-service.js';
import { DemoSystems, demoPorts, demoWorkspace } from '../../host/demo-systems.js';
import { checkSecretStore, describeSecretStore } from '../../secrets/open-secret-store.js';
import { SecretSwitch } from '../../secrets/secret-switch.js';
import { appDataDir } from '../../store/app-data.js';
import { RUN_STATE_FILE, RunStateStore } from '../../store/run-state.js';
import { type SettingsPort, openSettings } from '../../store/settings.js';
import { EXIT, type CliIO, UsageError } from '../io.js';
import { openWorkspaceArg } from '../workspace-arg.js';
import { startHttpHost } from './http-host.js';

/** The built renderer: next to the bundled CLI (dist/renderer), or dist/renderer of the repo when run from source. */
export function rendererDir(env: NodeJS.ProcessEnv): string {
  const candidates = [
    env.FERRY_RENDERER_DIR,
    fileURLToPath(new URL('./renderer', import.meta.url)),
    fileURLToPath(new URL('../../../dist/renderer', import.meta.url)),
  ].filter((d): d is string => d !== undefined);
  const found = candidates.find((d) => existsSync(join(d, 'index.html')));
  if (!found) throw new UsageError('the Ferry UI is not built: run `npm run build` first', EXIT.internal);
  return found;
}

export interface ServeOptions {
  port?: number;
  /** Start the built-in demo systems and, without a workspace argument, open the demo workspace. */
  demo?: boolean;
}

export function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port: expected a port number 0–65535, got "${value}"`);
  return port;
}

function demoSystemPorts(env: NodeJS.ProcessEnv): Record<string, number> {
  try {
    return demoPorts(env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * A keychain that does not work here is a warning (flows without secrets still run, and the UI offers the vault);
 * a vault chosen with FERRY_SECRETS that does not open stops the start.
 */
async function openCheckedSecretStore(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  settings: SettingsPort,
  io: CliIO,
): Promise<SecretSwitch> {
  const secrets = new SecretSwitch({ env, dataDir, settings });
  const warning = await checkSecretStore(secrets.active);
  if (warning) io.stderr.write(`ferry: warning: ${warning}\n`);
  return secrets;
}

/** `ferry serve [workspace] [--port N]`: the editor in any browser, on 127.0.0.1, until Ctrl+C. */
export async function serveCommand(
  workspaceArg: string | undefined,
  options: ServeOptions,
  io: CliIO,
): Promise<number> {
  const staticDir = rendererDir(io.env);
  const dataDir = appDataDir(io.env);
  const dir = workspaceArg ?? (options.demo ? await demoWorkspace(dataDir) : undefined);
  const workspace = dir === undefined ? undefined : await openWorkspaceArg(dir, io.cwd);
  // The demo systems run in this process when asked for (--demo, or the app's "Start demo systems"); their secrets
  // are served in front of the chosen store, never written anywhere.
  const demo = new DemoSystems(demoSystemPorts(io.env));
  const settings = openSettings(dataDir);
  const secrets = await openCheckedSecretStore(io.env, dataDir, settings, io);
  const runState = new RunStateStore(join(dataDir, RUN_STATE_FILE));
  const service = new FerryService({
    registry: defaultRegistry(),
    secrets: demo.secretsOver(secrets),
    secretControl: secrets,
    runState,
    settings,
    demo,
  });
  try {
    if (workspace) await service.open(workspace.dir);
    if (options.demo) {
      const started = await service.handlers.startDemoSystems({});
      for (const line of [...started.systems.map((s) => s.message), ...started.messages]) io.stdout.write(`${line}\n`);
    }
    const host = await startHttpHost({
      handlers: service.handlers,
      subscribe: (listener) => service.subscribe(listener),
      staticDir,
      port: options.port,
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new UsageError(`--port ${options.port}: that port is already in use`);
      throw error;
    });
    io.stdout.write(
      `Ferry is serving ${workspace ? `"${workspace.workspace.name}"` : 'no workspace (open one in the UI)'}\n` +
        `Open this URL in a browser (it carries this session's access token):\n\n  ${host.url}\n\n` +
        `Secrets: ${describeSecretStore(secrets.active)}.\n` +
        'Only this computer can connect (127.0.0.1). Press Ctrl+C to stop.\n',
    );
    await new Promise<void>((resolve) => {
      if (!io.signal || io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    await host.close();
    return EXIT.ok;
  } finally {
    await service.close();
    runState.close();
    await demo.close();
  }
}
