import { createHash, randomBytes } from 'node:crypto';

/**
 * PKCE (RFC 7636, method S256): the verifier stays with Ferry, its challenge goes into the authorization URL, so a
 * code caught on its way back is useless to anyone without the verifier. 32 random bytes give the 43-character
 * verifier the RFC recommends.
 */
export function createPkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The `state` of an authorization request (RFC 6749 §10.12): unguessable, so a forged redirect is told apart. */
export function createOAuthState(): string {
  return randomBytes(32).toString('base64url');
}
