import { randomBytes } from 'node:crypto';
import { AsyncEntry, type EntryOptions } from '@napi-rs/keyring';
import { ConfigError } from '../connectors/errors.js';
import { type SecretStore, envSecretName } from './secret-store.js';

/** The service name of every Ferry entry: the desktop app, `ferry run` and `ferry serve` share them. */
export const KEYCHAIN_SERVICE = 'Ferry';

export type KeychainProbe = { ok: true } | { ok: false; reason: string };

/**
 * The keychain could not be used (no Secret Service, locked, denied). A ConfigError, so `ferry run` exits 2 with
 * the message instead of reporting a Ferry bug: the fix is in the machine's set-up, not in the flow.
 */
export class KeychainUnavailableError extends ConfigError {
  constructor(
    readonly reason: string,
    envName?: string,
  ) {
    super(keychainUnavailableMessage(reason, envName));
    this.name = 'KeychainUnavailableError';
  }
}

export function keychainUnavailableMessage(reason: string, envName?: string): string {
  return (
    `the system keychain is not available: ${reason}. Ferry never falls back to storing secrets in plain text. ` +
    `Instead, either set the secret in an environment variable for headless runs ` +
    `(${envName ?? 'FERRY_SECRET_<CONNECTION>_<FIELD>'}), or use the encrypted vault file: ` +
    `FERRY_SECRETS=vault with its passphrase in FERRY_VAULT_PASSPHRASE`
  );
}

/** The raw keyring errors name D-Bus internals; this says what is wrong with the machine in a user's words. */
export function explainKeychainError(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const raw = error instanceof Error ? error.message : String(error);
  if (/DBUS_SESSION_BUS_ADDRESS|autolaunch|Failed to connect to socket|No such file or directory/i.test(raw)) {
    const why = env.DBUS_SESSION_BUS_ADDRESS
      ? 'nothing answers at DBUS_SESSION_BUS_ADDRESS'
      : 'DBUS_SESSION_BUS_ADDRESS is not set';
    return `there is no D-Bus session bus here (${why}), so no Secret Service can be reached`;
  }
  if (/ServiceUnknown|not provided by any \.service files|org\.freedesktop\.secrets/i.test(raw))
    return 'no Secret Service (gnome-keyring, KWallet, KeePassXC) is running on the D-Bus session bus';
  if (/prompt was dismissed|locked|unlock/i.test(raw))
    return 'the keychain is locked and cannot be unlocked here (no unlock prompt could be shown)';
  if (/denied|not allowed|permission/i.test(raw)) return `access to the keychain was denied (${raw})`;
  return raw;
}

function envNameFor(account: string): string | undefined {
  const [, connectionId, field] = account.split('/');
  return connectionId && field ? envSecretName(connectionId, field) : undefined;
}

/**
 * The OS keychain through @napi-rs/keyring (N-API: the same binary works in Node and Electron without a rebuild;
 * keytar is archived): macOS Keychain, Windows Credential Manager, Secret Service on Linux.
 */
export class KeychainSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;
  private readonly entryOptions: EntryOptions;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {
    // On Linux the library silently falls back to the kernel keyring, which forgets everything at logout and is
    // not shared with the desktop session: pinning Secret Service makes "no keychain" an error we can explain.
    this.entryOptions = { linux: { store: 'secret-service' } };
  }

  // AsyncEntry: reads and writes (and any unlock prompt) run off the event loop, so the engine keeps answering.
  private entry(account: string): AsyncEntry {
    return new AsyncEntry(this.service, account, this.entryOptions);
  }

  private async call<T>(account: string, op: (entry: AsyncEntry) => Promise<T>): Promise<T> {
    // Every keyring failure (including creating the entry, which connects) becomes one explained error.
    try {
      return await op(this.entry(account));
    } catch (error) {
      throw new KeychainUnavailableError(explainKeychainError(error), envNameFor(account));
    }
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.call(account, (e) => e.getPassword())) ?? undefined;
  }

  async set(account: string, value: string): Promise<void> {
    await this.call(account, (e) => e.setPassword(value));
  }

  async delete(account: string): Promise<boolean> {
    return this.call(account, (e) => e.deleteCredential());
  }

  /** Whether the keychain works here: writes, reads back and deletes a throw-away entry. */
  async probe(): Promise<KeychainProbe> {
    const account = `probe/${process.pid}-${randomBytes(6).toString('hex')}/check`;
    const value = randomBytes(12).toString('hex');
    let entry: AsyncEntry | undefined;
    try {
      // Inside the try: with Secret Service pinned, creating the entry already connects to D-Bus.
      entry = this.entry(account);
      await entry.setPassword(value);
      const read = await entry.getPassword();
      await entry.deleteCredential();
      if (read !== value) return { ok: false, reason: 'the keychain accepted an entry but did not return it' };
      return { ok: true };
    } catch (error) {
      await entry?.deleteCredential().catch(() => undefined);
      return { ok: false, reason: explainKeychainError(error) };
    }
  }
}
