import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { toCanonicalJson } from '../model/canonical-json.js';

/** Long enough to read the result and press Save; short enough that a stale test does not vouch for much. */
export const TEST_TOKEN_TTL_MS = 10 * 60_000;

/**
 * Proof that a connection test passed for exactly some values: Save presents the token instead of authenticating
 * again (some ERPs allow one API session per licence). The service keeps only a keyed hash of the values (they
 * include secrets), so the map never holds a secret and a token for other values does not match.
 */
export class TestTokens {
  private readonly key = randomBytes(32);
  private readonly tokens = new Map<string, { hash: string; expires: number }>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = TEST_TOKEN_TTL_MS,
  ) {}

  private hash(values: unknown): string {
    return createHmac('sha256', this.key).update(toCanonicalJson(values)).digest('hex');
  }

  issue(values: unknown): string {
    const now = this.now();
    for (const [token, entry] of this.tokens) if (entry.expires <= now) this.tokens.delete(token);
    const token = randomUUID();
    this.tokens.set(token, { hash: this.hash(values), expires: now + this.ttlMs });
    return token;
  }

  matches(token: string, values: unknown): boolean {
    const entry = this.tokens.get(token);
    return entry !== undefined && entry.expires > this.now() && entry.hash === this.hash(values);
  }

  /** A token is spent by the save it allowed. */
  forget(token: string): void {
    this.tokens.delete(token);
  }
}

/** Replaces every secret (and its URL-encoded form) in a text a connector wrote, in case one slipped in. */
export function redactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const needles = [...new Set(secrets.flatMap((s) => (s && s.length > 0 ? [s, encodeURIComponent(s)] : [])))].sort(
    (a, b) => b.length - a.length,
  );
  return (text) => needles.reduce((out, needle) => out.split(needle).join('•••'), text);
}
