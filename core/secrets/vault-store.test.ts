import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../connectors/errors.js';
import { VAULT_FORMAT, VaultError, VaultSecretStore } from './vault-store.js';

// Small scrypt parameters keep the suite fast; the file records them, so reading uses what was written.
const FAST = { N: 2 ** 10, r: 8, p: 1 };
const PASSPHRASE = 'correct horse battery staple';
const SECRET = 'sup3r-s3cret-Value!';
const ACCOUNT = 'ws-1/shop-api/token';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ferry-vault-'));
  path = join(dir, 'app-data', 'secrets.vault');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

const vault = (passphrase = PASSPHRASE) => new VaultSecretStore({ path, passphrase, scrypt: FAST });

async function expectRejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  return error!;
}

describe('VaultSecretStore', () => {
  it('round-trips values across instances (another process opening the same file)', async () => {
    const a = vault();
    expect(await a.get(ACCOUNT)).toBeUndefined();
    await a.set(ACCOUNT, SECRET);
    await a.set('ws-1/erp/password', 'pässwörd ✓');
    const b = vault();
    expect(await b.get(ACCOUNT)).toBe(SECRET);
    expect(await b.get('ws-1/erp/password')).toBe('pässwörd ✓');
    expect(await b.delete(ACCOUNT)).toBe(true);
    expect(await b.delete(ACCOUNT)).toBe(false);
    expect(await a.get(ACCOUNT)).toBeUndefined();
    expect(await a.get('ws-1/erp/password')).toBe('pässwörd ✓');
  });

  it('writes JSON with version, kdf params, salt, iv, tag and ciphertext, mode 0600, no plaintext', async () => {
    await vault().set(ACCOUNT, SECRET);
    const text = await readFile(path, 'utf8');
    const file = JSON.parse(text);
    expect(file).toMatchObject({ format: VAULT_FORMAT, version: 1, kdf: { name: 'scrypt', ...FAST } });
    for (const field of ['salt', 'iv', 'tag', 'ciphertext', 'check']) expect(typeof file[field]).toBe('string');
    expect(Buffer.from(file.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(file.tag, 'base64')).toHaveLength(16);
    // Neither values nor account names are readable, in any common encoding.
    for (const needle of [SECRET, ACCOUNT, 'shop-api', PASSPHRASE]) {
      expect(text).not.toContain(needle);
      expect(text).not.toContain(Buffer.from(needle).toString('base64'));
      expect(text).not.toContain(Buffer.from(needle).toString('hex'));
    }
    if (process.platform !== 'win32') expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('uses a fresh IV on every write and keeps the salt', async () => {
    const store = vault();
    await store.set(ACCOUNT, SECRET);
    const first = JSON.parse(await readFile(path, 'utf8'));
    await store.set(ACCOUNT, SECRET);
    const second = JSON.parse(await readFile(path, 'utf8'));
    expect(second.iv).not.toBe(first.iv);
    expect(second.ciphertext).not.toBe(first.ciphertext);
    expect(second.salt).toBe(first.salt);
  });

  it('refuses a wrong passphrase with a clear error that contains no secret', async () => {
    await vault().set(ACCOUNT, SECRET);
    const error = await expectRejection(vault('wrong passphrase').get(ACCOUNT));
    expect(error).toBeInstanceOf(VaultError);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('the vault passphrase is wrong');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain('wrong passphrase');
    expect(error.message).not.toContain(PASSPHRASE);
    // A failed open never overwrites the vault.
    await expectRejection(vault('wrong passphrase').set(ACCOUNT, 'other'));
    expect(await vault().get(ACCOUNT)).toBe(SECRET);
  });

  it('detects a tampered ciphertext, tag, IV or header', async () => {
    await vault().set(ACCOUNT, SECRET);
    const original = JSON.parse(await readFile(path, 'utf8'));
    const flip = (b64: string) => {
      const bytes = Buffer.from(b64, 'base64');
      bytes[0]! ^= 1;
      return bytes.toString('base64');
    };
    for (const field of ['ciphertext', 'tag', 'iv'] as const) {
      await writeFile(path, JSON.stringify({ ...original, [field]: flip(original[field]) }));
      const error = await expectRejection(vault().get(ACCOUNT));
      expect(error.message).toMatch(/damaged or has been tampered with/);
      expect(error.message).not.toContain(SECRET);
    }
    // The key derivation parameters are authenticated: tampering with them is refused, never silently accepted.
    await writeFile(path, JSON.stringify({ ...original, kdf: { ...original.kdf, N: 2 ** 11 } }));
    await expectRejection(vault().get(ACCOUNT));
    await writeFile(path, JSON.stringify({ ...original, kdf: { ...original.kdf, N: 2 ** 30 } }));
    expect((await expectRejection(vault().get(ACCOUNT))).message).toMatch(/invalid key derivation parameters/);
    await writeFile(path, '{"not": "a vault"');
    expect((await expectRejection(vault().get(ACCOUNT))).message).toMatch(/not valid JSON/);
    await writeFile(path, JSON.stringify({ ...original, version: 2 }));
    expect((await expectRejection(vault().get(ACCOUNT))).message).toMatch(/version 2/);
  });

  it('writes atomically: no temp files left, a reader sees a complete vault while writes run', async () => {
    const store = vault();
    await store.set('ws/c/0', 'v0');
    const reader = vault();
    const writes = Array.from({ length: 20 }, (_, i) => store.set(`ws/c/${i}`, `v${i}`));
    const reads = Array.from({ length: 20 }, () => reader.get('ws/c/0'));
    await Promise.all(writes);
    expect(await Promise.all(reads)).toEqual(Array(20).fill('v0'));
    // Writes of one process are serialised: none drops another's entry.
    for (let i = 0; i < 20; i++) expect(await reader.get(`ws/c/${i}`)).toBe(`v${i}`);
    expect(await readdir(join(dir, 'app-data'))).toEqual(['secrets.vault']);
  });

  it('needs a passphrase', () => {
    expect(() => new VaultSecretStore({ path, passphrase: '' })).toThrow(/needs a passphrase/);
  });

  it('verify() opens the vault now: a missing file is an empty vault, a wrong passphrase throws', async () => {
    await vault().verify();
    await vault().set(ACCOUNT, SECRET);
    await vault().verify();
    await expect(vault('nope').verify()).rejects.toThrow(/passphrase is wrong/);
  });
});
