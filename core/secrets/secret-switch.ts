import { existsSync } from 'node:fs';
import { ConfigError } from '../connectors/errors.js';
import type { SecretStoreStatus } from '../model/contract.js';
import { ValidationError } from '../model/validation-error.js';
import type { SettingsPort } from '../store/settings.js';
import { KeychainSecretStore } from './keychain-store.js';
import {
  LayeredSecretStore,
  type OpenSecretStoreOptions,
  SecretStoreConfigError,
  keychainProblem,
  openSecretStore,
  secretStoreChoice,
} from './open-secret-store.js';
import { EnvSecretStore, type SecretStore } from './secret-store.js';
import { VaultError, VaultSecretStore, defaultVaultPath } from './vault-store.js';

/** A new vault's passphrase is the only thing protecting it from anyone who copies the file. */
export const MIN_VAULT_PASSPHRASE = 8;
const PROBE_TTL_MS = 15_000;

export class VaultLockedError extends ConfigError {
  constructor(path: string) {
    super(
      `the secrets vault ${path} is locked: open it with its passphrase under Connections ` +
        '(or start Ferry with FERRY_VAULT_PASSPHRASE set)',
    );
    this.name = 'VaultLockedError';
  }
}

/** The vault chosen in an earlier session, waiting for its passphrase: reading or saving says so. */
class LockedVault implements SecretStore {
  readonly kind = 'vault' as const;
  constructor(readonly path: string) {}
  async get(): Promise<string | undefined> {
    throw new VaultLockedError(this.path);
  }
  async set(): Promise<void> {
    throw new VaultLockedError(this.path);
  }
  async delete(): Promise<boolean> {
    throw new VaultLockedError(this.path);
  }
}

/** FERRY_SECRETS / FERRY_VAULT_* are wrong and the host chose to start anyway (the desktop window): every use says why. */
class MisconfiguredStore implements SecretStore {
  readonly kind = 'env' as const;
  constructor(readonly error: Error) {}
  async get(): Promise<string | undefined> {
    throw this.error;
  }
  async set(): Promise<void> {
    throw this.error;
  }
  async delete(): Promise<boolean> {
    throw this.error;
  }
}

export type SecretStoreRequest = { store: 'keychain' } | { store: 'vault'; passphrase: string };

export interface SecretSwitchOptions extends OpenSecretStoreOptions {
  /** Where the UI's choice (keychain or vault) is remembered between sessions. */
  settings: SettingsPort;
  /**
   * A wrong FERRY_SECRETS setting: `throw` refuses to start (`ferry serve` prints it and exits); `report` starts and
   * shows the problem wherever a secret is needed (the desktop engine, whose window must open to say anything).
   */
  misconfigured?: 'throw' | 'report';
}

/**
 * The secret store of the interactive hosts (desktop engine, `ferry serve`): like `openSecretStore`, but the user
 * can also choose the encrypted vault from the UI when the machine has no keychain — explicitly, with a
 * passphrase, remembered for the next start (then locked until the passphrase is given again). FERRY_SECRETS in
 * the environment wins and cannot be changed from the UI.
 */
export class SecretSwitch implements SecretStore {
  private current: LayeredSecretStore;
  private readonly env: EnvSecretStore;
  private readonly fixedByEnvironment: boolean;
  private probe?: { at: number; problem: string | undefined };

  constructor(private readonly options: SecretSwitchOptions) {
    this.env = new EnvSecretStore(options.env);
    this.fixedByEnvironment = (options.env.FERRY_SECRETS ?? '').trim() !== '';
    const remembered = options.settings.get('secretStore');
    if (!this.fixedByEnvironment && remembered === 'vault' && !options.env.FERRY_VAULT_PASSPHRASE) {
      this.current = new LayeredSecretStore(this.env, new LockedVault(this.vaultPath));
    } else {
      const env =
        this.fixedByEnvironment || remembered !== 'vault' ? options.env : { ...options.env, FERRY_SECRETS: 'vault' };
      try {
        this.current = openSecretStore({ ...options, env });
      } catch (error) {
        if (options.misconfigured !== 'report' || !(error instanceof SecretStoreConfigError)) throw error;
        this.current = new LayeredSecretStore(this.env, new MisconfiguredStore(error));
      }
    }
  }

  get kind(): SecretStore['kind'] {
    return this.current.kind;
  }

  /** The store in use now (start-up checks and messages look through the switch). */
  get active(): LayeredSecretStore {
    return this.current;
  }

  get vaultPath(): string {
    return this.options.env.FERRY_VAULT_FILE || defaultVaultPath(this.options.dataDir);
  }

  get(account: string): Promise<string | undefined> {
    return this.current.get(account);
  }
  set(account: string, value: string): Promise<void> {
    return this.current.set(account, value);
  }
  delete(account: string): Promise<boolean> {
    return this.current.delete(account);
  }

  async status(): Promise<SecretStoreStatus> {
    const inner = this.current.store;
    const base = {
      vaultFile: this.vaultPath,
      vaultExists: existsSync(this.vaultPath),
      fixedByEnvironment: this.fixedByEnvironment,
    };
    if (inner instanceof LockedVault) {
      return { ...base, kind: 'vault', label: 'vault', ready: false, canSave: false, problem: 'the vault is locked' };
    }
    if (inner instanceof MisconfiguredStore) {
      return { ...base, kind: 'env', label: 'nowhere', ready: false, canSave: false, problem: inner.error.message };
    }
    if (inner instanceof VaultSecretStore)
      return { ...base, kind: 'vault', label: 'vault', ready: true, canSave: true };
    if (inner.kind === 'env') {
      return {
        ...base,
        kind: 'env',
        label: 'environment',
        ready: true,
        canSave: false,
        problem: 'FERRY_SECRETS=env: secrets come from FERRY_SECRET_<CONNECTION>_<FIELD> variables and cannot be saved',
      };
    }
    if (inner instanceof KeychainSecretStore) {
      const problem = await this.keychainProblem(inner);
      return { ...base, kind: 'keychain', label: 'keychain', ready: !problem, canSave: !problem, problem };
    }
    return { ...base, kind: inner.kind, label: inner.kind, ready: true, canSave: true };
  }

  private async keychainProblem(keychain: KeychainSecretStore): Promise<string | undefined> {
    if (this.probe && Date.now() - this.probe.at < PROBE_TTL_MS) return this.probe.problem;
    const problem = await keychainProblem(keychain, 5000, true);
    this.probe = { at: Date.now(), problem };
    return problem;
  }

  /** Switches where secrets live from now on. Nothing is copied: secrets saved in the other store stay there. */
  async use(request: SecretStoreRequest): Promise<SecretStoreStatus> {
    if (this.fixedByEnvironment) {
      throw new SecretStoreConfigError(
        `FERRY_SECRETS=${secretStoreChoice(this.options.env)} is set in the environment that started Ferry, so the ` +
          'secret store cannot be changed here',
      );
    }
    if (request.store === 'keychain') {
      this.current = openSecretStore({ ...this.options, env: { ...this.options.env, FERRY_SECRETS: 'keychain' } });
      this.probe = undefined;
      this.options.settings.set('secretStore', undefined);
      return this.status();
    }
    const exists = existsSync(this.vaultPath);
    if (!exists && request.passphrase.length < MIN_VAULT_PASSPHRASE) {
      throw new ValidationError([
        {
          path: 'passphrase',
          message: `a new vault needs a passphrase of at least ${MIN_VAULT_PASSPHRASE} characters`,
        },
      ]);
    }
    const vault = new VaultSecretStore({ path: this.vaultPath, passphrase: request.passphrase });
    if (exists) await vault.verify().catch(rephraseWrongPassphrase(this.vaultPath));
    else await vault.initialize();
    this.current = new LayeredSecretStore(this.env, vault);
    this.options.settings.set('secretStore', 'vault');
    return this.status();
  }
}

/** The vault's own message names FERRY_VAULT_PASSPHRASE; here the passphrase was typed into the UI. */
function rephraseWrongPassphrase(path: string) {
  return (error: unknown): never => {
    if (error instanceof VaultError && /passphrase is wrong/.test(error.message)) {
      throw new ValidationError([{ path: 'passphrase', message: `this passphrase does not open the vault ${path}` }]);
    }
    throw error;
  };
}
