import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../connectors/errors.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import type { SecretStore } from './secret-store.js';

export const VAULT_FILE = 'secrets.vault';
export const VAULT_FORMAT = 'ferry-secrets-vault' as const;
export const VAULT_VERSION = 1;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** OWASP's scrypt minimum is N=2^17 r=8 p=1 (128 MiB); 2^15 keeps opening under ~100 ms and 32 MiB in a CLI. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

// A tampered file could ask for absurd parameters; these bounds stop it from hanging or exhausting memory.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

interface VaultFile {
  format: typeof VAULT_FORMAT;
  version: number;
  kdf: { name: 'scrypt'; N: number; r: number; p: number };
  salt: string;
  /** HMAC of a fixed label under a key derived with the AES key: tells a wrong passphrase from a damaged file. */
  check: string;
  iv: string;
  tag: string;
  ciphertext: string;
}

/** The vault cannot be opened: wrong passphrase, damaged or tampered file. A ConfigError: `ferry run` exits 2. */
export class VaultError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'VaultError';
  }
}

interface Keys {
  salt: Buffer;
  kdf: ScryptParams;
  aes: Buffer;
  check: Buffer;
}

function deriveKeys(passphrase: string, salt: Buffer, kdf: ScryptParams): Promise<Keys> {
  return new Promise((resolve, reject) => {
    // One 64-byte derivation: the first half encrypts, the second half only proves the passphrase.
    const maxmem = 128 * kdf.N * kdf.r * kdf.p + 32 * 1024 * 1024;
    scrypt(passphrase.normalize('NFC'), salt, 64, { ...kdf, maxmem }, (error, out) => {
      if (error) return reject(error);
      resolve({ salt, kdf, aes: out.subarray(0, 32), check: out.subarray(32) });
    });
  });
}

function checkValue(keys: Keys): Buffer {
  return createHmac('sha256', keys.check).update(`${VAULT_FORMAT} v${VAULT_VERSION} passphrase check`).digest();
}

/** Everything but the ciphertext is authenticated too: changing the salt, parameters or check is detected. */
function additionalData(file: Pick<VaultFile, 'format' | 'version' | 'kdf' | 'salt' | 'check'>): Buffer {
  const { kdf } = file;
  const fields = [file.format, file.version, kdf.name, kdf.N, kdf.r, kdf.p, file.salt, file.check];
  return Buffer.from(JSON.stringify(fields), 'utf8');
}

function damaged(path: string, detail: string): VaultError {
  return new VaultError(`the secrets vault ${path} is damaged or has been tampered with (${detail})`);
}

function parseVaultFile(path: string, text: string): VaultFile {
  let file: Partial<VaultFile>;
  try {
    file = JSON.parse(text) as Partial<VaultFile>;
  } catch {
    throw damaged(path, 'not valid JSON');
  }
  if (file.format !== VAULT_FORMAT) throw damaged(path, 'not a Ferry secrets vault');
  if (file.version !== VAULT_VERSION)
    throw new VaultError(`the secrets vault ${path} has version ${String(file.version)}; this Ferry reads version 1`);
  const kdf = file.kdf;
  const validKdf =
    kdf?.name === 'scrypt' &&
    [kdf.N, kdf.r, kdf.p].every((n) => Number.isInteger(n) && n > 0) &&
    kdf.N <= MAX_N &&
    (kdf.N & (kdf.N - 1)) === 0 &&
    kdf.r <= MAX_R &&
    kdf.p <= MAX_P;
  if (!validKdf) throw damaged(path, 'invalid key derivation parameters');
  for (const field of ['salt', 'check', 'iv', 'tag', 'ciphertext'] as const) {
    if (typeof file[field] !== 'string') throw damaged(path, `"${field}" is missing`);
  }
  return file as VaultFile;
}

export interface VaultOptions {
  /** The vault file; by default `<app-data>/secrets.vault`. */
  path: string;
  passphrase: string;
  /** Parameters for a new vault (an existing vault keeps the ones in its file). */
  scrypt?: ScryptParams;
}

export function defaultVaultPath(dataDir: string): string {
  return join(dataDir, VAULT_FILE);
}

/**
 * Secrets in one encrypted file, for machines without a keychain: scrypt turns the passphrase into a key, the whole
 * account → value map is sealed with AES-256-GCM under a fresh 12-byte IV on every write. The map exists in plain
 * text only in this process's memory; the file is re-read on every call so the app and `ferry run` see each
 * other's writes (two processes writing at the same instant: the last write wins).
 */
export class VaultSecretStore implements SecretStore {
  readonly kind = 'vault' as const;
  private keys?: Promise<Keys>;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: VaultOptions) {
    if (!options.passphrase) throw new VaultError('the vault needs a passphrase (FERRY_VAULT_PASSPHRASE)');
  }

  get path(): string {
    return this.options.path;
  }

  /** Keys are derived once per salt: scrypt is deliberately slow. */
  private keysFor(salt: Buffer, kdf: ScryptParams): Promise<Keys> {
    const cached = this.keys;
    if (cached) {
      return cached.then((k) =>
        k.salt.equals(salt) && k.kdf.N === kdf.N && k.kdf.r === kdf.r && k.kdf.p === kdf.p
          ? k
          : (this.keys = deriveKeys(this.options.passphrase, salt, kdf)),
      );
    }
    return (this.keys = deriveKeys(this.options.passphrase, salt, kdf));
  }

  private async read(): Promise<{ map: Map<string, string>; keys?: Keys }> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { map: new Map() };
      throw error;
    }
    const file = parseVaultFile(this.path, text);
    const keys = await this.keysFor(Buffer.from(file.salt, 'base64'), file.kdf);
    const check = Buffer.from(file.check, 'base64');
    const expected = checkValue(keys);
    if (check.length !== expected.length || !timingSafeEqual(check, expected))
      throw new VaultError(`the vault passphrase is wrong (FERRY_VAULT_PASSPHRASE does not open ${this.path})`);
    let plain: Buffer;
    try {
      const decipher = createDecipheriv('aes-256-gcm', keys.aes, Buffer.from(file.iv, 'base64'));
      decipher.setAAD(additionalData(file));
      decipher.setAuthTag(Buffer.from(file.tag, 'base64'));
      plain = Buffer.concat([decipher.update(Buffer.from(file.ciphertext, 'base64')), decipher.final()]);
    } catch {
      throw damaged(this.path, 'the authentication tag does not match');
    }
    const entries = JSON.parse(plain.toString('utf8')) as Record<string, string>;
    plain.fill(0);
    return { map: new Map(Object.entries(entries)), keys };
  }

  private async write(map: Map<string, string>, existing?: Keys): Promise<void> {
    const keys = existing ?? (await this.keysFor(randomBytes(16), this.options.scrypt ?? DEFAULT_SCRYPT));
    const header = {
      format: VAULT_FORMAT,
      version: VAULT_VERSION,
      kdf: { name: 'scrypt' as const, N: keys.kdf.N, r: keys.kdf.r, p: keys.kdf.p },
      salt: keys.salt.toString('base64'),
      check: checkValue(keys).toString('base64'),
    };
    // A fresh IV on every write: GCM must never reuse an IV under the same key.
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.aes, iv);
    cipher.setAAD(additionalData(header));
    const plain = Buffer.from(JSON.stringify(Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)))));
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    plain.fill(0);
    const file: VaultFile = {
      ...header,
      iv: iv.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
      ciphertext: ciphertext.toString('base64'),
    };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  }

  /** Read-modify-write calls of this process run one at a time, so two saves never drop each other's secret. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const next = this.queue.then(op, op);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Opens the vault now (checks the passphrase and the file) rather than at the first secret. */
  async verify(): Promise<void> {
    await this.serial(() => this.read());
  }

  /** Writes an empty vault when there is no file yet, so the passphrase chosen now is the one that opens it. */
  async initialize(): Promise<void> {
    await this.serial(async () => {
      const { map, keys } = await this.read();
      if (!keys) await this.write(map);
    });
  }

  async get(account: string): Promise<string | undefined> {
    return this.serial(async () => (await this.read()).map.get(account));
  }

  async set(account: string, value: string): Promise<void> {
    await this.serial(async () => {
      const { map, keys } = await this.read();
      map.set(account, value);
      await this.write(map, keys);
    });
  }

  async delete(account: string): Promise<boolean> {
    return this.serial(async () => {
      const { map, keys } = await this.read();
      if (!map.delete(account)) return false;
      await this.write(map, keys);
      return true;
    });
  }
}
