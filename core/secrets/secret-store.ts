/** Where secret values live. Accounts are `<workspace-id>/<connection-id>/<field>` (see model/connection.ts). */
export interface SecretStore {
  readonly kind: 'keychain' | 'env' | 'vault' | 'memory';
  get(account: string): Promise<string | undefined>;
  set(account: string, value: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly values = new Map<string, string>();
  async get(account: string): Promise<string | undefined> {
    return this.values.get(account);
  }
  async set(account: string, value: string): Promise<void> {
    this.values.set(account, value);
  }
  async delete(account: string): Promise<boolean> {
    return this.values.delete(account);
  }
}

/** `FERRY_SECRET_<CONNECTION>_<FIELD>`, upper-cased, other characters as "_": for headless runs without a keychain. */
export function envSecretName(connectionId: string, field: string): string {
  const norm = (s: string) => s.toUpperCase().replace(/[^A-Z0-9]/g, '_');
  return `FERRY_SECRET_${norm(connectionId)}_${norm(field)}`;
}

export class EnvSecretStore implements SecretStore {
  readonly kind = 'env' as const;
  constructor(private readonly env: NodeJS.ProcessEnv = process.env) {}
  async get(account: string): Promise<string | undefined> {
    const [, connectionId, field] = account.split('/');
    if (!connectionId || !field) return undefined;
    return this.env[envSecretName(connectionId, field)];
  }
  async set(): Promise<void> {
    throw new Error('Environment secrets are read-only: set the variable in the environment that runs ferry');
  }
  async delete(): Promise<boolean> {
    return false;
  }
}
