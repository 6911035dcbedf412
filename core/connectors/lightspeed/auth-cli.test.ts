/**
 * `ferry auth` with a Lightspeed OAuth connection, in process against the emulator: the test plays the browser
 * (the approval page, Allow, the redirect to Ferry's listener); the refresh token lands in the vault, and `ferry run`
 * then reads the store with it and stores the token Lightspeed rotated.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.js';
import { ferry } from '../../cli/testing/cli-harness.js';
import { chainEdges, flowNode, putFile } from '../../cli/testing/workspace-files.js';
import { freeLoopbackPort } from '../../host/testing/sign-in-harness.js';
import { VaultSecretStore } from '../../secrets/vault-store.js';
import { LIGHTSPEED_DEMO, type LightspeedEmulator, startLightspeedEmulator } from './emulator/index.js';
import { approveInBrowser } from './test-support.js';

let root: string;
let ws: string;
let ls: LightspeedEmulator;
let port: number;
let env: NodeJS.ProcessEnv;
const ACCOUNT = 'ls-auth/shop/refreshToken';

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ferry-ls-auth-'));
  ws = join(root, 'ws');
  port = await freeLoopbackPort();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  ls = await startLightspeedEmulator({ apps: [{ clientId: LIGHTSPEED_DEMO.clientId, clientSecret: LIGHTSPEED_DEMO.clientSecret, redirectUris: [redirectUri] }] }); // prettier-ignore
  env = {
    FERRY_DATA_DIR: join(root, 'data'),
    FERRY_SECRETS: 'vault',
    FERRY_VAULT_PASSPHRASE: 'lightspeed auth test',
    FERRY_VAULT_FILE: join(root, 'secrets.vault'),
    FERRY_SECRET_SHOP_CLIENTSECRET: LIGHTSPEED_DEMO.clientSecret,
  };
  await putFile(ws, 'ferry.workspace.json', { schemaVersion: 1, id: 'ls-auth', name: 'Lightspeed sign-in' });
  await putFile(ws, 'connections/shop.connection.json', {
    schemaVersion: 1,
    id: 'shop',
    name: 'Lightspeed shop',
    connector: 'lightspeed',
    settings: { domainPrefix: LIGHTSPEED_DEMO.domainPrefix, auth: 'oauth', clientId: LIGHTSPEED_DEMO.clientId, redirectPort: port, baseUrl: ls.url }, // prettier-ignore
    secrets: {},
  });
  await putFile(ws, 'flows/outlets.flow.json', {
    schemaVersion: 2,
    id: 'outlets',
    name: 'Outlets to CSV',
    nodes: [
      flowNode('ls', 'source', 'lightspeed', 0, { connection: 'shop', entity: 'outlets' }),
      flowNode('csv', 'destination', 'file', 200, { path: 'out/outlets.csv' }),
    ],
    edges: chainEdges('ls', 'csv'),
  });
});

afterEach(async () => {
  await ls.close();
  await rm(root, { recursive: true, force: true });
});

describe('ferry auth with Lightspeed', () => {
  it('authorizes in the browser; ferry run then refreshes with the stored token and stores the rotated one', async () => {
    let stdout = '';
    const exit = main(['auth', '.', 'shop'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: () => true },
      env,
      cwd: ws,
      signal: new AbortController().signal,
    });
    await vi.waitFor(() => expect(stdout).toContain('Waiting for the browser…'), { timeout: 5000 });
    const url = /^ {2}(http\S+)$/m.exec(stdout)![1]!;
    expect(url.startsWith(`${ls.url}/connect?response_type=code&client_id=${LIGHTSPEED_DEMO.clientId}`)).toBe(true);
    const back = await approveInBrowser(url);
    const page = await fetch(`http://127.0.0.1:${port}/callback?${back.toString()}`);
    expect(page.status).toBe(200);
    expect(await exit).toBe(0);
    expect(stdout).toContain(`Signed in to the Lightspeed store "${LIGHTSPEED_DEMO.storeName}"`);
    const vault = () => new VaultSecretStore({ path: env.FERRY_VAULT_FILE!, passphrase: env.FERRY_VAULT_PASSPHRASE! });
    const signedIn = await vault().get(ACCOUNT);
    expect(signedIn).toEqual(expect.any(String));

    const run = await ferry(['run', '.', 'outlets'], { cwd: ws, env });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readFile(join(ws, 'out/outlets.csv'), 'utf8')).trim().split('\n')).toHaveLength(4);
    const rotated = await vault().get(ACCOUNT);
    expect(rotated).not.toBe(signedIn);
    expect(ls.stats).toMatchObject({ codesIssued: 1, refreshes: 1, tokensRefused: 0 });
    expect(`${stdout}${run.stdout}`).not.toContain(signedIn!);
  });
});
