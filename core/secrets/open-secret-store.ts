import { ConfigError } from '../connectors/errors.js';
import { KeychainSecretStore, keychainUnavailableMessage } from './keychain-store.js';
import { EnvSecretStore, type SecretStore } from './secret-store.js';
import { VaultSecretStore, defaultVaultPath } from './vault-store.js';

export const SECRET_STORE_CHOICES = ['keychain', 'env', 'vault'] as const;
export type SecretStoreChoice = (typeof SECRET_STORE_CHOICES)[number];

/** FERRY_SECRETS or FERRY_VAULT_* are set wrongly: the host refuses to start (no guessing, no plaintext). */
export class SecretStoreConfigError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreConfigError';
  }
}

/**
 * `FERRY_SECRET_<CONNECTION>_<FIELD>` variables first, then the chosen store. Reads only: saving and deleting go to
 * the chosen store, so a variable set for a headless run never gets written anywhere. A variable shadows the
 * stored value for that one process, which is what a CI job or a one-off override wants.
 */
export class LayeredSecretStore implements SecretStore {
  constructor(
    private readonly env: EnvSecretStore,
    readonly store: SecretStore,
  ) {}

  get kind(): SecretStore['kind'] {
    return this.store.kind;
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.env.get(account)) ?? this.store.get(account);
  }

  set(account: string, value: string): Promise<void> {
    return this.store.set(account, value);
  }

  delete(account: string): Promise<boolean> {
    return this.store.delete(account);
  }
}

export interface OpenSecretStoreOptions {
  /** The host's environment (FERRY_SECRETS, FERRY_VAULT_*, FERRY_SECRET_*); demo hosts merge their own secrets in. */
  env: NodeJS.ProcessEnv;
  /** The app-data folder: the vault's default home. */
  dataDir: string;
  /** Tests replace the OS keychain. */
  keychain?: () => SecretStore;
}

export function secretStoreChoice(env: NodeJS.ProcessEnv): SecretStoreChoice {
  const value = (env.FERRY_SECRETS ?? '').trim().toLowerCase();
  if (value === '') return 'keychain';
  if ((SECRET_STORE_CHOICES as readonly string[]).includes(value)) return value as SecretStoreChoice;
  throw new SecretStoreConfigError(
    `FERRY_SECRETS must be one of ${SECRET_STORE_CHOICES.join(', ')} (default keychain), got "${env.FERRY_SECRETS}"`,
  );
}

/**
 * How every host (desktop engine, `ferry run`, `ferry serve`) picks where secrets live — explicitly, never a
 * silent plaintext fallback. Opening touches nothing: the keychain is first used when a secret is read or saved,
 * so a flow without secrets runs on a machine without one, and the error appears where a secret is needed.
 */
export function openSecretStore(options: OpenSecretStoreOptions): LayeredSecretStore {
  const { env } = options;
  const choice = secretStoreChoice(env);
  return new LayeredSecretStore(new EnvSecretStore(env), chosenStore(choice, options));
}

function chosenStore(choice: SecretStoreChoice, options: OpenSecretStoreOptions): SecretStore {
  const { env } = options;
  if (choice === 'env') return new ReadOnlyEnvStore();
  if (choice === 'vault') {
    if (!env.FERRY_VAULT_PASSPHRASE)
      throw new SecretStoreConfigError(
        'FERRY_SECRETS=vault needs the vault passphrase in FERRY_VAULT_PASSPHRASE ' +
          '(the vault file is FERRY_VAULT_FILE, default secrets.vault in the app-data folder)',
      );
    return new VaultSecretStore({
      path: env.FERRY_VAULT_FILE || defaultVaultPath(options.dataDir),
      passphrase: env.FERRY_VAULT_PASSPHRASE,
    });
  }
  return options.keychain?.() ?? new KeychainSecretStore();
}

/**
 * FERRY_SECRETS=env: variables only (they are already read by the layer above). Saving is refused with a message
 * rather than kept in memory, so a connection saved in the UI is never silently lost at exit.
 */
class ReadOnlyEnvStore implements SecretStore {
  readonly kind = 'env' as const;
  async get(): Promise<undefined> {
    return undefined;
  }
  async set(): Promise<void> {
    throw new SecretStoreConfigError(
      'secrets cannot be saved with FERRY_SECRETS=env: set FERRY_SECRET_<CONNECTION>_<FIELD> in the environment ' +
        'that runs Ferry, or choose the keychain (default) or FERRY_SECRETS=vault',
    );
  }
  async delete(): Promise<boolean> {
    return false;
  }
}

/** One line for start-up messages: where secrets are read from (never a value). */
export function describeSecretStore(store: SecretStore): string {
  const inner = store instanceof LayeredSecretStore ? store.store : store;
  if (inner.kind === 'env') return 'environment variables FERRY_SECRET_<CONNECTION>_<FIELD> only';
  const where = inner instanceof VaultSecretStore ? `the encrypted vault ${inner.path}` : `the ${inner.kind}`;
  return `${inner.kind === 'keychain' ? 'the system keychain' : where}; FERRY_SECRET_<CONNECTION>_<FIELD> variables take precedence`;
}

/**
 * A start-up check for long-running hosts (`ferry serve`, the desktop engine): a wrong vault passphrase or a
 * damaged vault throws (the user chose the vault explicitly), an unusable keychain only returns a warning, because
 * flows without secrets still work and the error repeats, with the way out, when a secret is needed.
 */
export async function checkSecretStore(store: SecretStore, timeoutMs = 5000): Promise<string | undefined> {
  const inner = store instanceof LayeredSecretStore ? store.store : store;
  if (inner instanceof VaultSecretStore) {
    await inner.verify();
    return undefined;
  }
  if (!(inner instanceof KeychainSecretStore)) return undefined;
  const problem = await keychainProblem(inner, timeoutMs, false);
  return problem && `${problem}. Flows that need no secret run as usual`;
}

/**
 * Why the keychain cannot be used here (with the ways out), or undefined when it works. A keychain waiting on an
 * unlock prompt nobody answers must not hold anything up: after `timeoutMs` it counts as working at start-up
 * (`silentIsProblem` false: the error comes when a secret is needed) or as unusable in a status shown to the user.
 */
export async function keychainProblem(
  keychain: KeychainSecretStore,
  timeoutMs: number,
  silentIsProblem: boolean,
): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const silent = { ok: !silentIsProblem, reason: `the keychain did not answer within ${timeoutMs / 1000} s` } as const;
  const timeout = new Promise<typeof silent>((resolve) => (timer = setTimeout(() => resolve(silent), timeoutMs)));
  const probe = await Promise.race([keychain.probe(), timeout]).finally(() => clearTimeout(timer));
  return probe.ok ? undefined : keychainUnavailableMessage(probe.reason);
}
