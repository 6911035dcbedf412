/**
 * An OAuth access token shared by every request and flow of the process that acts as one app (Business Central's
 * client credentials, Lightspeed's refresh grant): the first caller fetches it, the others await the same promise (no
 * stampede); it is renewed shortly before it expires, and once more when the API refuses a token that was cached.
 */
import type { Clock } from './limits.js';

/** Renew this long before the token's expiry, so a request never leaves with a token that dies on the way. */
export const TOKEN_RENEW_BEFORE_MS = 5 * 60_000;

export interface Token {
  value: string;
  expiresAt: number;
}

/** One app's token: cached, shared by concurrent callers, renewed before expiry. */
export class TokenCache {
  private token: Token | undefined;
  private pending: Promise<Token> | undefined;
  /** Token requests sent (tests assert there is no stampede). */
  fetched = 0;

  constructor(
    private readonly fetchToken: () => Promise<Token>,
    private readonly clock: Pick<Clock, 'now'>,
  ) {}

  /** A valid token; `stale` (a token the API refused) forces a new one unless another caller already renewed it. */
  async get(stale?: string): Promise<string> {
    const token = this.token;
    if (token && token.value !== stale && this.clock.now() < token.expiresAt - TOKEN_RENEW_BEFORE_MS) {
      return token.value;
    }
    this.pending ??= this.fetchToken()
      .then((fresh) => {
        this.fetched++;
        this.token = fresh;
        return fresh;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return (await this.pending).value;
  }
}

const caches = new Map<string, TokenCache>();

/** The process's token cache under `key` (callers put a hash of the secrets in it: new secrets, new token). */
export function tokenCacheFor(key: string, create: () => TokenCache): TokenCache {
  let cache = caches.get(key);
  if (!cache) {
    cache = create();
    caches.set(key, cache);
  }
  return cache;
}
