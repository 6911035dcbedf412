/** The remote system as a whole failed (DNS, TLS, auth, unreachable): the run stops; `ferry run` exits 3. */
export class ConnectionError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'ConnectionError';
  }
}

/** A node's configuration cannot work (missing file, bad header): the run stops; `ferry run` exits 2. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
