import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleWorkspace } from '../cli/testing/cli-harness.js';
import { type Shop, ferryChild, prepareShopWorkspace, spawnFerry, startShop } from './testing/cli-child.js';
import { VaultSecretStore } from './vault-store.js';

/**
 * `ferry run` on a server without a keychain: a D-Bus address that leads nowhere, in a child process (the keyring
 * library keeps the first session bus it connects to, so this cannot be simulated in-process).
 */
const NO_DBUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/ferry-test-bus' };
const TOKEN = 'tok-no-keychain-4242';

let ws: string;
let dataDir: string;
let cleanup: () => Promise<void>;
let shop: Shop;
let account: string;
beforeEach(async () => {
  const w = await exampleWorkspace();
  ({ ws, dataDir, cleanup } = w);
  shop = await startShop();
  account = await prepareShopWorkspace(ws, shop.url, 'no-keychain-ws');
});
afterEach(async () => {
  await shop.close();
  await cleanup();
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('ferry run without a keychain', () => {
  it('runs a flow that needs no secret (file nodes only)', async () => {
    const result = await ferryChild(['run', '.', 'products-to-catalog'], {
      cwd: ws,
      env: { ...NO_DBUS, FERRY_DATA_DIR: dataDir },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created 16');
  });

  it('fails where a secret is read, naming the reason and both ways out (exit 2)', async () => {
    const result = await ferryChild(['run', '.', 'products-to-shop'], {
      cwd: ws,
      env: { ...NO_DBUS, FERRY_DATA_DIR: dataDir },
    });
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/the system keychain is not available: there is no D-Bus session bus/);
    expect(result.stdout).toContain('FERRY_SECRET_SHOP_API_TOKEN');
    expect(result.stdout).toContain('FERRY_SECRETS=vault');
    expect(shop.authorizations).toEqual([]);
  });

  it('runs with the secret from FERRY_SECRET_<CONNECTION>_<FIELD>, which never reaches the output', async () => {
    const result = await ferryChild(['run', '.', 'products-to-shop'], {
      cwd: ws,
      env: { ...NO_DBUS, FERRY_DATA_DIR: dataDir, FERRY_SECRET_SHOP_API_TOKEN: TOKEN },
    });
    expect(result.code).toBe(0);
    expect(shop.authorizations.length).toBeGreaterThan(0);
    expect(new Set(shop.authorizations)).toEqual(new Set([`Bearer ${TOKEN}`]));
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
  });

  it('runs from the encrypted vault with FERRY_SECRETS=vault; a wrong passphrase is a clear error', async () => {
    const passphrase = 'vault-passphrase-for-tests';
    await new VaultSecretStore({ path: join(dataDir, 'secrets.vault'), passphrase }).set(account, TOKEN);
    const env = { ...NO_DBUS, FERRY_DATA_DIR: dataDir, FERRY_SECRETS: 'vault', FERRY_VAULT_PASSPHRASE: passphrase };
    const ok = await ferryChild(['run', '.', 'products-to-shop'], { cwd: ws, env });
    expect(ok.code).toBe(0);
    expect(new Set(shop.authorizations)).toEqual(new Set([`Bearer ${TOKEN}`]));

    const wrong = await ferryChild(['run', '.', 'products-to-shop'], {
      cwd: ws,
      env: { ...env, FERRY_VAULT_PASSPHRASE: 'not-the-passphrase' },
    });
    expect(wrong.code).toBe(2);
    expect(wrong.stdout).toContain('the vault passphrase is wrong');
    for (const output of [ok.stdout + ok.stderr, wrong.stdout + wrong.stderr]) {
      expect(output).not.toContain(TOKEN);
      expect(output).not.toContain(passphrase);
      expect(output).not.toContain('not-the-passphrase');
    }
    // Nothing Ferry wrote (workspace, run history, vault) holds the secret in plain text.
    for (const file of [...(await filesUnder(ws)), ...(await filesUnder(dataDir))]) {
      expect(await readFile(file)).not.toContain(Buffer.from(TOKEN));
    }
  });

  it('refuses an unknown FERRY_SECRETS and a vault without passphrase before running anything', async () => {
    const bad = await ferryChild(['run', '.', 'products-to-catalog'], {
      cwd: ws,
      env: { ...NO_DBUS, FERRY_DATA_DIR: dataDir, FERRY_SECRETS: 'plain' },
    });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/FERRY_SECRETS must be one of keychain, env, vault/);
    const noPass = await ferryChild(['run', '.', 'products-to-catalog'], {
      cwd: ws,
      env: { ...NO_DBUS, FERRY_DATA_DIR: dataDir, FERRY_SECRETS: 'vault' },
    });
    expect(noPass.code).toBe(2);
    expect(noPass.stderr).toMatch(/needs the vault passphrase in FERRY_VAULT_PASSPHRASE/);
  });
});

describe('ferry serve without a keychain', () => {
  it('starts (the e2e runs without D-Bus), warns on stderr and says where secrets are read from', async () => {
    const renderer = join(dataDir, 'renderer');
    await mkdir(renderer, { recursive: true });
    await writeFile(join(renderer, 'index.html'), '<!doctype html><title>Ferry</title>');
    const child = spawnFerry(['serve', '.', '--port', '0'], {
      cwd: ws,
      env: { ...NO_DBUS, FERRY_DATA_DIR: dataDir, FERRY_RENDERER_DIR: renderer },
    });
    let stdout = '';
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Press Ctrl+C')) resolve();
      });
      void exited.then((code) => reject(new Error(`ferry serve exited with ${code}: ${stdout}${stderr}`)));
    });
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    expect(stdout).toContain(
      'Secrets: the system keychain; FERRY_SECRET_<CONNECTION>_<FIELD> variables take precedence',
    );
    expect(stderr).toMatch(/ferry: warning: the system keychain is not available: there is no D-Bus session bus/);
    expect(stderr).toContain('FERRY_SECRETS=vault');
  });

  it('refuses to start with a wrong vault passphrase', async () => {
    const path = join(dataDir, 'secrets.vault');
    await new VaultSecretStore({ path, passphrase: 'the-right-one' }).set(account, TOKEN);
    const renderer = join(dataDir, 'renderer');
    await mkdir(renderer, { recursive: true });
    await writeFile(join(renderer, 'index.html'), '<!doctype html>');
    const result = await ferryChild(['serve', '.', '--port', '0'], {
      cwd: ws,
      env: {
        ...NO_DBUS,
        FERRY_DATA_DIR: dataDir,
        FERRY_RENDERER_DIR: renderer,
        FERRY_SECRETS: 'vault',
        FERRY_VAULT_PASSPHRASE: 'the-wrong-one',
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the vault passphrase is wrong');
    expect(result.stdout + result.stderr).not.toMatch(/the-wrong-one|the-right-one|tok-no-keychain/);
  });
});
