import { timingSafeEqual } from 'node:crypto';

/**
 * Compares a presented secret (an access token, an OAuth state, a password) with the expected one in constant
 * time, so the time an answer takes tells nothing about how much of a guess was right.
 */
export function sameSecret(presented: string, expected: string): boolean {
  const x = Buffer.from(presented);
  const y = Buffer.from(expected);
  return x.length === y.length && timingSafeEqual(x, y);
}
