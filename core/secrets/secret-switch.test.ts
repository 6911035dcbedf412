import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../model/validation-error.js';
import { MemorySettings } from '../store/settings.js';
import { KeychainSecretStore } from './keychain-store.js';
import { SecretStoreConfigError } from './open-secret-store.js';
import { MemorySecretStore } from './secret-store.js';
import { SecretSwitch, VaultLockedError } from './secret-switch.js';
import { VAULT_FILE } from './vault-store.js';

/** A keychain whose probe fails the way a server without Secret Service does (no D-Bus needed in this process). */
class UnreachableKeychain extends KeychainSecretStore {
  override async probe() {
    return { ok: false as const, reason: 'no Secret Service (gnome-keyring, KWallet, KeePassXC) is running' };
  }
}

let dataDir: string;
let settings: MemorySettings;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'ferry-switch-'));
  settings = new MemorySettings();
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

function open(
  env: NodeJS.ProcessEnv = {},
  keychain: () => KeychainSecretStore | MemorySecretStore = () => new UnreachableKeychain(),
) {
  return new SecretSwitch({ env, dataDir, settings, keychain });
}

describe('SecretSwitch', () => {
  it('reports an unusable keychain with both ways out, and offers the vault', async () => {
    const status = await open().status();
    expect(status).toMatchObject({ kind: 'keychain', ready: false, canSave: false, vaultExists: false });
    expect(status.problem).toMatch(/the system keychain is not available: no Secret Service/);
    expect(status.problem).toContain('FERRY_SECRET_<CONNECTION>_<FIELD>');
    expect(status.vaultFile).toBe(join(dataDir, VAULT_FILE));
    expect(status.fixedByEnvironment).toBe(false);
  });

  it('creates the vault with a passphrase chosen in the UI, keeps secrets in it, and remembers the choice', async () => {
    const secrets = open();
    await expect(secrets.use({ store: 'vault', passphrase: 'short' })).rejects.toThrow(ValidationError);
    const status = await secrets.use({ store: 'vault', passphrase: 'correct horse' });
    expect(status).toMatchObject({ kind: 'vault', label: 'vault', ready: true, canSave: true, vaultExists: true });
    await secrets.set('ws/api/password', 'p4ss-in-vault');
    expect(await readFile(join(dataDir, VAULT_FILE), 'utf8')).not.toContain('p4ss-in-vault');
    expect(settings.get('secretStore')).toBe('vault');

    // The next start: the vault is chosen but locked until the passphrase is given again.
    const next = open();
    expect(await next.status()).toMatchObject({ kind: 'vault', ready: false, problem: 'the vault is locked' });
    await expect(next.get('ws/api/password')).rejects.toThrow(VaultLockedError);
    const wrong = next.use({ store: 'vault', passphrase: 'wrong horse' });
    await expect(wrong).rejects.toThrow(/passphrase does not open the vault/);
    await next.use({ store: 'vault', passphrase: 'correct horse' });
    expect(await next.get('ws/api/password')).toBe('p4ss-in-vault');
  });

  it('opens the remembered vault at start when FERRY_VAULT_PASSPHRASE is set', async () => {
    await open().use({ store: 'vault', passphrase: 'correct horse' });
    const next = open({ FERRY_VAULT_PASSPHRASE: 'correct horse' });
    expect(await next.status()).toMatchObject({ kind: 'vault', ready: true });
  });

  it('goes back to the keychain on request and forgets the vault choice', async () => {
    const keychain = new MemorySecretStore();
    const secrets = open({}, () => keychain);
    await secrets.use({ store: 'vault', passphrase: 'correct horse' });
    await secrets.use({ store: 'keychain' });
    await secrets.set('ws/api/token', 't0k');
    expect(await keychain.get('ws/api/token')).toBe('t0k');
    expect(settings.get('secretStore')).toBeUndefined();
  });

  it('variables FERRY_SECRET_* are read before a locked vault', async () => {
    await open().use({ store: 'vault', passphrase: 'correct horse' });
    const next = open({ FERRY_SECRET_API_TOKEN: 'from-env' });
    expect(await next.get('ws/api/token')).toBe('from-env');
  });

  it('FERRY_SECRETS in the environment cannot be changed from the UI', async () => {
    const secrets = open({ FERRY_SECRETS: 'env' });
    expect(await secrets.status()).toMatchObject({ kind: 'env', canSave: false, fixedByEnvironment: true });
    await expect(secrets.use({ store: 'vault', passphrase: 'correct horse' })).rejects.toThrow(
      /FERRY_SECRETS=env is set in the environment/,
    );
  });

  it('a wrong FERRY_SECRETS stops a host that asked to throw, and is reported by one that asked to report', async () => {
    expect(() => open({ FERRY_SECRETS: 'plaintext' })).toThrow(SecretStoreConfigError);
    const reported = new SecretSwitch({
      env: { FERRY_SECRETS: 'vault' },
      dataDir,
      settings,
      misconfigured: 'report',
    });
    const status = await reported.status();
    expect(status).toMatchObject({ ready: false, canSave: false });
    expect(status.problem).toContain('FERRY_VAULT_PASSPHRASE');
    await expect(reported.set('ws/api/token', 'x')).rejects.toThrow(/FERRY_VAULT_PASSPHRASE/);
  });
});
