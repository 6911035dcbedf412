import { basename } from 'node:path';
import { defaultRegistry } from '../connectors/registry.js';
import { OAuthSignIns } from '../host/oauth-sign-in.js';
import { ApiError } from '../model/contract.js';
import { KeychainSecretStore } from '../secrets/keychain-store.js';
import { type LayeredSecretStore, keychainProblem, openSecretStore } from '../secrets/open-secret-store.js';
import { VaultSecretStore } from '../secrets/vault-store.js';
import { appDataDir } from '../store/app-data.js';
import { type LoadedWorkspace, loadWorkspace } from '../store/workspace-store.js';
import { EXIT, type CliIO, UsageError } from './io.js';
import { openWorkspaceArg } from './workspace-arg.js';

/** A connection id, its file's path (`connections/acu.connection.json`) or its name (any case). */
export function connectionIdFromArg(ws: LoadedWorkspace, arg: string): string {
  const name = basename(arg);
  const id = name.endsWith('.connection.json') ? name.slice(0, -'.connection.json'.length) : arg;
  if (ws.connections.has(id)) return id;
  const byName = [...ws.connections.values()].find((c) => c.name.trim().toLowerCase() === arg.trim().toLowerCase());
  return byName?.id ?? id;
}

/**
 * The sign-in stores the refresh token: a store that cannot save it is named before the browser is involved (a
 * code is good once, so a token that cannot be kept would be spent for nothing).
 */
async function checkCanStore(secrets: LayeredSecretStore): Promise<void> {
  const inner = secrets.store;
  if (inner.kind === 'env') {
    throw new UsageError(
      'FERRY_SECRETS=env cannot store the refresh token the sign-in gets: use the keychain (default) or ' +
        'FERRY_SECRETS=vault with FERRY_VAULT_PASSPHRASE',
    );
  }
  if (inner instanceof VaultSecretStore) await inner.verify();
  if (inner instanceof KeychainSecretStore) {
    const problem = await keychainProblem(inner, 5000, false);
    if (problem) throw new UsageError(`the refresh token cannot be stored: ${problem}`);
  }
}

const untilAborted = (signal: AbortSignal | undefined) =>
  new Promise<'cancelled'>((resolve) => {
    if (signal?.aborted) return resolve('cancelled');
    signal?.addEventListener('abort', () => resolve('cancelled'), { once: true });
  });

/**
 * `ferry auth <workspace> <connection>`: the browser sign-in of a connection whose settings choose the OAuth
 * authorization code. Prints the address to open (a browser on this computer: the answer comes back to
 * 127.0.0.1), waits for it, stores the refresh token in the secret store `ferry run` reads.
 */
export async function authCommand(workspaceArg: string, connectionArg: string, io: CliIO): Promise<number> {
  const ws = await openWorkspaceArg(workspaceArg, io.cwd);
  const connectionId = connectionIdFromArg(ws, connectionArg);
  const secrets = openSecretStore({ env: io.env, dataDir: appDataDir(io.env) });
  const signIns = new OAuthSignIns({ registry: defaultRegistry(), secrets, workspace: () => loadWorkspace(ws.dir) });
  let started;
  try {
    if (ws.connections.has(connectionId)) await checkCanStore(secrets);
    started = await signIns.start(connectionId);
  } catch (error) {
    // The service speaks the contract's errors; on the command line they are usage errors (exit 2).
    if (error instanceof ApiError) throw new UsageError(error.message);
    throw error;
  }
  const name = ws.connections.get(connectionId)!.name;
  const until = new Date(started.expiresAt).toLocaleTimeString('en-GB');
  io.stdout.write(
    `To sign in to "${name}", open this address in a browser on this computer (Ferry waits for its answer at ` +
      `${started.redirectUri} until ${until}):\n\n  ${started.url}\n\nWaiting for the browser… (Ctrl+C to stop)\n`,
  );
  const outcome = await Promise.race([started.done, untilAborted(io.signal)]);
  if (outcome === 'cancelled') {
    await signIns.cancelAll('cancelled');
    io.stderr.write('ferry: sign-in cancelled\n');
    return EXIT.cancelled;
  }
  if (outcome.state === 'signed-in') {
    io.stdout.write(`${outcome.message}\n`);
    return EXIT.ok;
  }
  io.stderr.write(`ferry: sign-in failed: ${outcome.message}\n`);
  return EXIT.connectionFailure;
}
