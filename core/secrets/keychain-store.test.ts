import { randomBytes } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace } from '../cli/testing/cli-harness.js';
import { KeychainSecretStore } from './keychain-store.js';
import { ferryChild, prepareShopWorkspace, startShop } from './testing/cli-child.js';

/**
 * Against the real OS keychain (on Linux: a Secret Service such as gnome-keyring). Never skipped: without a reachable
 * keychain these tests fail and say how to run them. Entries use a throw-away service name, or (for the test that
 * needs the real "Ferry" service) a random workspace id, and are deleted afterwards.
 */
const HOW_TO_RUN =
  'Run the unit tests with `npm run test:unit`: on Linux without a D-Bus session, scripts/test-unit.mjs starts ' +
  'them inside `dbus-run-session` with an unlocked gnome-keyring in a temporary HOME (needs the packages ' +
  'gnome-keyring, dbus-x11 and libsecret-1-0, which .ci/run installs). With DBUS_SESSION_BUS_ADDRESS set, a ' +
  'Secret Service must answer on that bus, unlocked (or unset the variable to let the script make its own). ' +
  'On macOS and Windows the login keychain is used.';

const service = `Ferry-test-${randomBytes(4).toString('hex')}`;
const store = new KeychainSecretStore(service);
const created: { store: KeychainSecretStore; account: string }[] = [];

beforeAll(async () => {
  const probe = await store.probe();
  if (!probe.ok) throw new Error(`No usable keychain for the keychain tests: ${probe.reason}.\n${HOW_TO_RUN}`);
});
afterAll(async () => {
  for (const { store: s, account } of created) await s.delete(account).catch(() => undefined);
});

function track(s: KeychainSecretStore, account: string): string {
  created.push({ store: s, account });
  return account;
}

describe('KeychainSecretStore (real keychain)', () => {
  it('probes, saves, reads, replaces and deletes', async () => {
    expect(store.kind).toBe('keychain');
    expect(await store.probe()).toEqual({ ok: true });
    const account = track(store, 'ws-k/conn-1/password');
    expect(await store.get(account)).toBeUndefined();
    await store.set(account, 'p@ss wörd ✓ "quoted"');
    expect(await store.get(account)).toBe('p@ss wörd ✓ "quoted"');
    await store.set(account, 'replaced');
    expect(await store.get(account)).toBe('replaced');
    expect(await store.delete(account)).toBe(true);
    expect(await store.delete(account)).toBe(false);
    expect(await store.get(account)).toBeUndefined();
  });

  it('keeps accounts and services apart', async () => {
    const a = track(store, 'ws-k/conn-a/token');
    const b = track(store, 'ws-k/conn-b/token');
    await store.set(a, 'value-a');
    await store.set(b, 'value-b');
    const other = new KeychainSecretStore(`${service}-other`);
    expect(await other.get(a)).toBeUndefined();
    expect(await store.get(a)).toBe('value-a');
    expect(await store.get(b)).toBe('value-b');
  });

  it('a new store instance (another process, the desktop app) sees saved entries', async () => {
    const account = track(store, 'ws-k/conn-c/token');
    await store.set(account, 'shared-value');
    expect(await new KeychainSecretStore(service).get(account)).toBe('shared-value');
  });

  it('a secret saved like the desktop app does is used by `ferry run`, and never written or printed', async () => {
    const workspaceId = `keychain-test-${randomBytes(4).toString('hex')}`;
    const token = `tok-${randomBytes(8).toString('hex')}`;
    const w = await exampleWorkspace();
    const shop = await startShop();
    try {
      const ferryStore = new KeychainSecretStore();
      const account = track(ferryStore, await prepareShopWorkspace(w.ws, shop.url, workspaceId));
      await ferryStore.set(account, token);
      // The child inherits this process's D-Bus session (the keychain) but no FERRY_SECRET_* variable.
      const env: NodeJS.ProcessEnv = { ...process.env, FERRY_DATA_DIR: w.dataDir };
      for (const name of Object.keys(env)) if (name.startsWith('FERRY_SECRET')) delete env[name];
      const result = await ferryChild(['run', '.', 'products-to-shop'], { cwd: w.ws, env });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(shop.authorizations.length).toBeGreaterThan(0);
      expect(new Set(shop.authorizations)).toEqual(new Set([`Bearer ${token}`]));
      expect(result.stdout + result.stderr).not.toContain(token);
      const files = (await readdir(w.root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
      for (const f of files) expect(await readFile(join(f.parentPath, f.name))).not.toContain(Buffer.from(token));
    } finally {
      await shop.close();
      await w.cleanup();
    }
  });
});
