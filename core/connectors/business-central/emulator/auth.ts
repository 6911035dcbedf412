// Authentication of the on-premises endpoint (and the bearer check of the online one).
//
// Extension point: an on-premises server accepts whatever its credential type allows (Web-Services-Authentication.md):
// NavUserPassword = HTTP Basic with the password or the web service access key; Windows = NTLM / Negotiate. Each is
// an `AuthScheme`; the emulator tries its list in order (`onPremAuth` option, default `[basicAuthScheme(users)]`).
// A scheme answers `not-mine` for an Authorization header it does not handle, so Basic and NTLM sit side by side:
//
//   startBcEmulator({ onPremAuth: [basicAuthScheme(users), ntlmAuthScheme(users)] })
//
// Connection-oriented handshakes (NTLM type 1 → type 2 challenge → type 3) answer `challenge` with the header for
// the 401, and keep their state per `request.socket` (the client must reuse the connection, as with IIS/BC).
import type { IncomingMessage } from 'node:http';
import { sameText } from '../../emulator-kit/same-text.js';

export interface BcUser {
  userName: string;
  password: string;
  /** BC's web service access key: Basic auth takes it in place of the password. */
  webServiceAccessKey?: string;
  /** Windows domain, for schemes that check it (NTLM). */
  domain?: string;
}

export type AuthOutcome =
  /** Credentials verified: the user the limits count against. */
  | { kind: 'authenticated'; user: string }
  /** No Authorization header for this scheme: the next scheme may take it. */
  | { kind: 'not-mine' }
  /** This scheme's credentials, and they are wrong. */
  | { kind: 'rejected'; reason?: string }
  /** A handshake step: answer 401 with exactly this WWW-Authenticate value and keep the connection. */
  | { kind: 'challenge'; header: string };

export interface AuthScheme {
  /** WWW-Authenticate values this scheme offers on a 401 without credentials, e.g. ['NTLM', 'Negotiate']. */
  challenges(): string[];
  authenticate(request: IncomingMessage): AuthOutcome | Promise<AuthOutcome>;
}

export { sameText };

/** HTTP Basic (NavUserPassword): user name and password, or user name and web service access key. */
export function basicAuthScheme(users: BcUser[], realm = 'Business Central'): AuthScheme {
  return {
    challenges: () => [`Basic realm="${realm}"`],
    authenticate(request) {
      const header = request.headers.authorization ?? '';
      const match = /^Basic\s+(\S+)$/i.exec(header);
      if (!match) return { kind: 'not-mine' };
      const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      if (at < 0) return { kind: 'rejected', reason: 'malformed Basic credentials' };
      const name = decoded.slice(0, at);
      const secret = decoded.slice(at + 1);
      // BC accepts DOMAIN\user for the user name too; the domain is not checked with Basic.
      const bare = name.includes('\\') ? name.slice(name.indexOf('\\') + 1) : name;
      const user = users.find((u) => u.userName.toLowerCase() === bare.toLowerCase());
      if (!user) return { kind: 'rejected', reason: `unknown user ${bare}` };
      const ok =
        sameText(secret, user.password) ||
        (user.webServiceAccessKey !== undefined && sameText(secret, user.webServiceAccessKey));
      return ok ? { kind: 'authenticated', user: user.userName } : { kind: 'rejected', reason: 'wrong password' };
    },
  };
}

export type AuthResult = { ok: true; user: string } | { ok: false; wwwAuthenticate: string[]; reason?: string };

/** Runs the schemes in order; a 401 offers every scheme's challenge (or the one a handshake asked for). */
export async function authenticate(schemes: AuthScheme[], request: IncomingMessage): Promise<AuthResult> {
  for (const scheme of schemes) {
    const outcome = await scheme.authenticate(request);
    if (outcome.kind === 'authenticated') return { ok: true, user: outcome.user };
    if (outcome.kind === 'challenge') return { ok: false, wwwAuthenticate: [outcome.header] };
    if (outcome.kind === 'rejected') {
      return { ok: false, wwwAuthenticate: schemes.flatMap((s) => s.challenges()), reason: outcome.reason };
    }
  }
  return { ok: false, wwwAuthenticate: schemes.flatMap((s) => s.challenges()) };
}
