import { timingSafeEqual } from 'node:crypto';

/** Compares a presented secret with the expected one in constant time (as a real server would). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
