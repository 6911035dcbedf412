/**
 * `ferry auth` against the Acumatica emulator, in process: the test plays the browser (opens the printed address,
 * signs in on the emulator's page, follows the redirect to Ferry's listener); the refresh token lands in the vault,
 * `ferry run` of a flow on that connection signs in with it and stores the rotated one. Then what is refused, with
 * its exit code: unknown connection, no browser sign-in, another grant, a store that cannot save, a cancelled
 * sign-in in the browser, Ctrl+C.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ACUMATICA_DEMO,
  type AcumaticaEmulator,
  startAcumaticaEmulator,
} from '../connectors/acumatica/emulator/index.js';
import { resetLoginCoolDowns } from '../connectors/acumatica/session.js';
import { VaultSecretStore } from '../secrets/vault-store.js';
import { demoClient, freeLoopbackPort, oauthCodeConnection, playBrowser } from '../host/testing/sign-in-harness.js';
import { main } from './main.js';
import { ferry } from './testing/cli-harness.js';
import { chainEdges, flowNode, putFile } from './testing/workspace-files.js';

let root: string;
let ws: string;
let acu: AcumaticaEmulator;
let port: number;
let env: NodeJS.ProcessEnv;
const ACCOUNT = 'acu-auth/acu/refreshToken';
const vault = () => new VaultSecretStore({ path: env.FERRY_VAULT_FILE!, passphrase: env.FERRY_VAULT_PASSPHRASE! });

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-auth-'));
  ws = join(root, 'ws');
  port = await freeLoopbackPort();
  acu = await startAcumaticaEmulator({ clients: [demoClient(port)], signInPage: true });
  env = {
    FERRY_DATA_DIR: join(root, 'data'),
    FERRY_SECRETS: 'vault',
    FERRY_VAULT_PASSPHRASE: 'auth test passphrase',
    FERRY_VAULT_FILE: join(root, 'secrets.vault'),
    FERRY_SECRET_ACU_CLIENTSECRET: ACUMATICA_DEMO.clientSecret,
  };
  await putFile(ws, 'ferry.workspace.json', { schemaVersion: 1, id: 'acu-auth', name: 'Acumatica sign-in' });
  const connection = oauthCodeConnection(acu, port, { id: 'acu', workspaceId: 'acu-auth' });
  await putFile(ws, 'connections/acu.connection.json', { ...connection, secrets: {} });
  await putFile(ws, 'flows/customers.flow.json', {
    schemaVersion: 2,
    id: 'customers',
    name: 'Customers to CSV',
    nodes: [
      flowNode('acu', 'source', 'acumatica', 0, { connection: 'acu', entity: 'Customer', fields: ['CustomerID'] }),
      flowNode('csv', 'destination', 'file', 200, { path: 'out/customers.csv' }),
    ],
    edges: chainEdges('acu', 'csv'),
  });
});

afterEach(async () => {
  resetLoginCoolDowns();
  await acu.close();
  await rm(root, { recursive: true, force: true });
});

/** `ferry auth …` in process until it prints the address; `exit` is its exit code, `abort()` is Ctrl+C. */
async function startAuth(args: string[]) {
  const controller = new AbortController();
  let stdout = '';
  let stderr = '';
  const exit = main(['auth', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd: ws,
    signal: controller.signal,
  });
  await vi.waitFor(() => expect(stdout).toContain('Waiting for the browser…'), { timeout: 5000 });
  const url = /^ {2}(http\S+)$/m.exec(stdout)![1]!;
  return { url, exit, abort: () => controller.abort(), output: () => ({ stdout, stderr }) };
}

describe('ferry auth', () => {
  it('signs in through the browser; ferry run then signs in with the stored token and stores the rotated one', async () => {
    const auth = await startAuth(['.', 'acu']);
    expect(auth.output().stdout).toContain(
      `To sign in to "Acumatica OAuth", open this address in a browser on this computer (Ferry waits for its answer at http://127.0.0.1:${port}/callback until`, // prettier-ignore
    );
    expect(new URL(auth.url).origin + new URL(auth.url).pathname).toBe(acu.authorizeUrl);
    const visit = await playBrowser(auth.url);
    expect(visit.page).toContain('Ferry is signed in to Acumatica OAuth. You can close this tab.');
    expect(await auth.exit).toBe(0);
    expect(auth.output().stdout).toMatch(/Signed in to Acumatica at .* \(tenant "MyStore"\) as OAuth client/);
    const signedIn = await vault().get(ACCOUNT);
    expect(signedIn).toEqual(expect.any(String));
    const file = JSON.parse(await readFile(join(ws, 'connections/acu.connection.json'), 'utf8'));
    expect(file.secrets).toEqual({ refreshToken: { secret: ACCOUNT } });

    const run = await ferry(['run', '.', 'customers'], { cwd: ws, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const csv = await readFile(join(ws, 'out/customers.csv'), 'utf8');
    expect(csv.trim().split('\n')).toHaveLength(acu.store.count('Customer') + 1);
    const rotated = await vault().get(ACCOUNT);
    expect(rotated).toEqual(expect.any(String));
    expect(rotated).not.toBe(signedIn);
    expect(acu.stats).toMatchObject({ logins: 1, logouts: 1, openSessions: 0 });

    // No token, code or verifier in anything printed or written in plain text.
    const code = visit.redirect.searchParams.get('code')!;
    const printed = `${auth.output().stdout}${auth.output().stderr}${run.stdout}${run.stderr}`;
    for (const secret of [signedIn!, rotated!, code]) {
      expect(printed).not.toContain(secret);
      for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
        if (entry.isFile())
          expect((await readFile(join(entry.parentPath, entry.name))).includes(secret), entry.name).toBe(false);
      }
    }
  });

  it('Cancel on the sign-in page: exit 3 with the refusal in plain words, nothing stored', async () => {
    const auth = await startAuth(['.', 'Acumatica OAuth']);
    await playBrowser(auth.url, 'cancel');
    expect(await auth.exit).toBe(3);
    expect(auth.output().stderr).toBe(
      'ferry: sign-in failed: the sign-in was cancelled or refused in the browser (access_denied)\n',
    );
    expect(await vault().get(ACCOUNT)).toBeUndefined();
  });

  it('Ctrl+C stops waiting: exit 130, the listener closed', async () => {
    const auth = await startAuth(['.', 'connections/acu.connection.json']);
    auth.abort();
    expect(await auth.exit).toBe(130);
    await expect(fetch(`http://127.0.0.1:${port}/callback`)).rejects.toThrow();
  });

  it('names what it cannot sign in, with exit 2', async () => {
    await putFile(ws, 'connections/files.connection.json', {
      schemaVersion: 1,
      id: 'files',
      name: 'Files',
      connector: 'http',
      settings: { baseUrl: 'http://127.0.0.1:9' },
    });
    await putFile(ws, 'connections/cookie.connection.json', {
      ...oauthCodeConnection(acu, port, { id: 'cookie', settings: { auth: 'cookie', username: 'admin' } }),
      name: 'Cookie',
    });
    const cases: [string[], NodeJS.ProcessEnv, string][] = [
      [['.', 'nope'], env, 'ferry: no connection "nope" in Acumatica sign-in (connections: acu, cookie, files)\n'],
      [['.', 'files'], env, 'ferry: connection "Files" uses the HTTP / REST connector, which has no browser sign-in\n'], // prettier-ignore
      [['.', 'acu'], { ...env, FERRY_SECRETS: 'env' }, 'ferry: FERRY_SECRETS=env cannot store the refresh token the sign-in gets: use the keychain (default) or FERRY_SECRETS=vault with FERRY_VAULT_PASSPHRASE\n'], // prettier-ignore
      [['.'], env, 'ferry: ferry auth takes two arguments: the workspace folder and the connection. See ferry auth --help.\n'], // prettier-ignore
    ];
    for (const [args, withEnv, message] of cases) {
      const result = await ferry(['auth', ...args], { cwd: ws, env: withEnv });
      expect(result.stderr).toBe(message);
      expect(result.code).toBe(2);
    }
    const grant = await ferry(['auth', '.', 'cookie'], { cwd: ws, env });
    expect(grant.code).toBe(2);
    expect(grant.stderr).toContain('settings.auth: the connection signs in with cookie, which needs no browser');
    const help = await ferry(['auth', '--help'], { cwd: ws, env });
    expect(help.stdout).toContain('ferry auth <workspace> <connection>');
  });
});
