import { z } from 'zod';

/**
 * The contract's part for the browser sign-in of a connection (OAuth 2.0 authorization code with PKCE): the host
 * listens for the browser's answer on 127.0.0.1 and stores the refresh token; the UI only opens the address and
 * shows the status. No code, token or verifier ever crosses the contract.
 */

export const signInStateSchema = z.enum(['idle', 'waiting', 'signed-in', 'failed']);
export type SignInState = z.infer<typeof signInStateSchema>;

export const authorizationStatusSchema = z.object({
  /** idle: no sign-in since the workspace opened; waiting: for the browser; then signed-in or failed. */
  state: signInStateSchema,
  /** Who signed in ("Signed in to Acumatica … as …"), or what went wrong, in plain words. */
  message: z.string().optional(),
  /** While waiting: when Ferry stops listening for the browser (ISO date-time). */
  expiresAt: z.string().optional(),
});
export type AuthorizationStatus = z.infer<typeof authorizationStatusSchema>;

export const startedAuthorizationSchema = z.object({
  /** The provider's sign-in page, for the system browser (the desktop app opens it itself). */
  url: z.string(),
  expiresAt: z.string(),
});
export type StartedAuthorization = z.infer<typeof startedAuthorizationSchema>;

/** Sent whenever a connection's sign-in status changes. */
export const authorizationEventSchema = z.object({
  type: z.literal('authorization'),
  connectionId: z.string(),
  status: authorizationStatusSchema,
});
