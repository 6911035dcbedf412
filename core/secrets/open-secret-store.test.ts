import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../connectors/errors.js';
import { KeychainSecretStore, KeychainUnavailableError, explainKeychainError } from './keychain-store.js';
import {
  LayeredSecretStore,
  SecretStoreConfigError,
  checkSecretStore,
  describeSecretStore,
  openSecretStore,
  secretStoreChoice,
} from './open-secret-store.js';
import { EnvSecretStore, MemorySecretStore, type SecretStore } from './secret-store.js';
import { type VaultSecretStore } from './vault-store.js';

const SECRET = 'tok-XYZ-123456';
const ACCOUNT = 'ws-1/shop-api/token';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ferry-secrets-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

/** A keychain that is never reachable, failing the way @napi-rs/keyring does without a D-Bus session. */
class UnreachableKeychain extends KeychainSecretStore {
  override async get(account: string): Promise<string | undefined> {
    throw new KeychainUnavailableError(
      explainKeychainError(new Error('DBus error: set your DBUS_SESSION_BUS_ADDRESS instead')),
      account === ACCOUNT ? 'FERRY_SECRET_SHOP_API_TOKEN' : undefined,
    );
  }
}

describe('secretStoreChoice', () => {
  it('defaults to the keychain and accepts keychain, env, vault (any case)', () => {
    expect(secretStoreChoice({})).toBe('keychain');
    expect(secretStoreChoice({ FERRY_SECRETS: '' })).toBe('keychain');
    expect(secretStoreChoice({ FERRY_SECRETS: 'Vault' })).toBe('vault');
    expect(secretStoreChoice({ FERRY_SECRETS: ' env ' })).toBe('env');
  });

  it('refuses anything else, naming the choices (no silent plaintext store)', () => {
    expect(() => secretStoreChoice({ FERRY_SECRETS: 'plaintext' })).toThrow(
      /FERRY_SECRETS must be one of keychain, env, vault .*got "plaintext"/,
    );
    expect(() => openSecretStore({ env: { FERRY_SECRETS: 'file' }, dataDir })).toThrow(SecretStoreConfigError);
  });
});

describe('openSecretStore', () => {
  it('keychain by default, opened lazily: nothing is touched until a secret is needed', async () => {
    let opened = 0;
    const store = openSecretStore({
      env: {},
      dataDir,
      keychain: () => (opened++, new UnreachableKeychain()),
    });
    expect(store.kind).toBe('keychain');
    expect(opened).toBe(1);
    // Constructing the real store does not reach D-Bus either (this line passes on a machine without one).
    expect(openSecretStore({ env: {}, dataDir }).store).toBeInstanceOf(KeychainSecretStore);
  });

  it('reads FERRY_SECRET_* first, then the chosen store; saves and deletes only in the chosen store', async () => {
    const memory = new MemorySecretStore();
    await memory.set(ACCOUNT, 'from-store');
    await memory.set('ws-1/erp/password', 'erp-pw');
    const store = openSecretStore({ env: { FERRY_SECRET_SHOP_API_TOKEN: SECRET }, dataDir, keychain: () => memory });
    expect(await store.get(ACCOUNT)).toBe(SECRET);
    expect(await store.get('ws-1/erp/password')).toBe('erp-pw');
    await store.set('ws-1/erp/password', 'new');
    expect(await memory.get('ws-1/erp/password')).toBe('new');
    expect(await store.delete('ws-1/erp/password')).toBe(true);
    expect(await memory.get(ACCOUNT)).toBe('from-store');
  });

  it('an unreachable keychain fails on read with the reason and both ways out, but not when env has the value', async () => {
    const store = openSecretStore({ env: {}, dataDir, keychain: () => new UnreachableKeychain() });
    const error = await store.get(ACCOUNT).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toMatch(/the system keychain is not available: there is no D-Bus session bus/);
    expect(error?.message).toContain('FERRY_SECRET_SHOP_API_TOKEN');
    expect(error?.message).toContain('FERRY_SECRETS=vault');
    expect(error?.message).toContain('FERRY_VAULT_PASSPHRASE');
    expect(error?.message).toMatch(/never falls back to storing secrets in plain text/);
    const withEnv = openSecretStore({
      env: { FERRY_SECRET_SHOP_API_TOKEN: SECRET },
      dataDir,
      keychain: () => new UnreachableKeychain(),
    });
    expect(await withEnv.get(ACCOUNT)).toBe(SECRET);
  });

  it('FERRY_SECRETS=env reads variables only and refuses to save, saying what to do instead', async () => {
    const store = openSecretStore({ env: { FERRY_SECRETS: 'env', FERRY_SECRET_SHOP_API_TOKEN: SECRET }, dataDir });
    expect(store.kind).toBe('env');
    expect(await store.get(ACCOUNT)).toBe(SECRET);
    expect(await store.get('ws-1/other/token')).toBeUndefined();
    const error = await store.set(ACCOUNT, 'new-value-123').then(
      () => undefined,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/cannot be saved with FERRY_SECRETS=env/);
    expect(error?.message).not.toContain('new-value-123');
  });

  it('FERRY_SECRETS=vault needs FERRY_VAULT_PASSPHRASE; the file defaults to the app-data folder', async () => {
    expect(() => openSecretStore({ env: { FERRY_SECRETS: 'vault' }, dataDir })).toThrow(
      /FERRY_SECRETS=vault needs the vault passphrase in FERRY_VAULT_PASSPHRASE/,
    );
    const store = openSecretStore({ env: { FERRY_SECRETS: 'vault', FERRY_VAULT_PASSPHRASE: 'pw-1' }, dataDir });
    expect(store.kind).toBe('vault');
    expect((store.store as VaultSecretStore).path).toBe(join(dataDir, 'secrets.vault'));
    await store.set(ACCOUNT, SECRET);
    expect(await readFile(join(dataDir, 'secrets.vault'), 'utf8')).not.toContain(SECRET);
    expect(describeSecretStore(store)).toContain(join(dataDir, 'secrets.vault'));

    const custom = join(dataDir, 'elsewhere', 'team.vault');
    const other = openSecretStore({
      env: { FERRY_SECRETS: 'vault', FERRY_VAULT_PASSPHRASE: 'pw-2', FERRY_VAULT_FILE: custom },
      dataDir,
    });
    await other.set(ACCOUNT, SECRET);
    expect(await readFile(custom, 'utf8')).toContain('ferry-secrets-vault');
  });

  it('checkSecretStore: a keychain that does not work is a warning, a wrong vault passphrase throws', async () => {
    const broken: SecretStore = new LayeredSecretStore(
      new EnvSecretStore({}),
      Object.assign(new KeychainSecretStore(), {
        probe: async () => ({ ok: false as const, reason: 'no Secret Service is running on the D-Bus session bus' }),
      }),
    );
    const warning = await checkSecretStore(broken);
    expect(warning).toMatch(/not available: no Secret Service is running/);
    expect(warning).toContain('FERRY_SECRETS=vault');

    const hanging = new LayeredSecretStore(
      new EnvSecretStore({}),
      Object.assign(new KeychainSecretStore(), { probe: () => new Promise<never>(() => undefined) }),
    );
    expect(await checkSecretStore(hanging, 20)).toBeUndefined();

    const env = { FERRY_SECRETS: 'vault', FERRY_VAULT_PASSPHRASE: 'right' };
    await openSecretStore({ env, dataDir }).set(ACCOUNT, SECRET);
    expect(await checkSecretStore(openSecretStore({ env, dataDir }))).toBeUndefined();
    await expect(
      checkSecretStore(openSecretStore({ env: { ...env, FERRY_VAULT_PASSPHRASE: 'wrong' }, dataDir })),
    ).rejects.toThrow(/the vault passphrase is wrong/);
    expect(await checkSecretStore(openSecretStore({ env: { FERRY_SECRETS: 'env' }, dataDir }))).toBeUndefined();
  });
});

describe('explainKeychainError', () => {
  it('turns keyring errors into reasons a user can act on', () => {
    expect(
      explainKeychainError(new Error('Platform failure: DBus error: Using X11 for dbus-daemon autolaunch')),
    ).toMatch(/no D-Bus session bus/);
    expect(
      explainKeychainError(new Error('org.freedesktop.DBus.Error.ServiceUnknown: The name org.freedesktop.secrets')),
    ).toMatch(/no Secret Service/);
    expect(
      explainKeychainError(new Error("Couldn't access platform storage: Secret Service: unlock prompt was dismissed")),
    ).toMatch(/locked/);
    expect(explainKeychainError(new Error('something else'))).toBe('something else');
  });
});
