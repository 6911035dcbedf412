import type { z } from 'zod';

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

/** A config or settings object validated by its zod schema, or a ConfigError listing every problem by path. */
export function parseConfig<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  throw new ConfigError(`${what}: ${problems.join('; ')}`);
}
