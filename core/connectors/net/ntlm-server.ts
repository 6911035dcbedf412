/**
 * The server side of NTLM over HTTP, for emulators and tests: state per socket (the challenge sent on it, then the
 * user it authenticated), as IIS / the Business Central service tier keep it. Not used by the app itself.
 */
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { challengeMessage, messageType, ntlmToken, parseAuthenticate, verifyAuthenticate } from './ntlm.js';

export interface NtlmAccount {
  user: string;
  /** Absent: any domain the client names is accepted (an emulator's demo user). */
  domain?: string;
  password: string;
}

export type NtlmGateResult =
  /** The socket is authenticated as `user`: serve the request. */
  | { kind: 'ok'; user: string }
  /** No NTLM on this request and none on its socket yet: another scheme may take it, else 401 offering NTLM. */
  | { kind: 'none'; reason: string }
  /** Step 2 of the handshake: answer 401 with `WWW-Authenticate: <header>` and keep the connection. */
  | { kind: 'challenge'; header: string }
  /** NTLM credentials, and they are wrong (or the handshake is broken). */
  | { kind: 'refused'; reason: string };

export interface NtlmGateCounters {
  negotiations: number;
  authenticated: number;
  refused: number;
}

/** Per-socket NTLM state machine: call `check(req)` for every request before serving it. */
export class NtlmGate {
  private state = new WeakMap<Socket, { challenge?: Buffer; user?: string }>();
  readonly counters: NtlmGateCounters = { negotiations: 0, authenticated: 0, refused: 0 };

  constructor(
    private readonly accounts: () => readonly NtlmAccount[],
    private readonly target = { domain: 'CORP', computer: 'BC14' },
  ) {}

  check(req: IncomingMessage): NtlmGateResult {
    const socket = req.socket;
    const state = this.state.get(socket) ?? {};
    this.state.set(socket, state);
    const header = req.headers.authorization;
    const token = header?.startsWith('NTLM ') ? ntlmToken(header) : undefined;
    if (!token) {
      if (state.user) return { kind: 'ok', user: state.user };
      return { kind: 'none', reason: header ? 'only NTLM (Windows) authentication is accepted' : 'no credentials' };
    }
    let type: number;
    try {
      type = messageType(token);
    } catch {
      return this.refuse('malformed NTLM message');
    }
    if (type === 1) {
      this.counters.negotiations++;
      const issued = challengeMessage(this.target);
      state.challenge = issued.serverChallenge;
      state.user = undefined;
      return { kind: 'challenge', header: `NTLM ${issued.message.toString('base64')}` };
    }
    if (type !== 3 || !state.challenge) return this.refuse('NTLM AUTHENTICATE without a challenge on this connection');
    const challenge = state.challenge;
    state.challenge = undefined;
    let verdict: ReturnType<typeof verifyAuthenticate> = { ok: false, reason: 'no such account' };
    try {
      const authenticate = parseAuthenticate(token);
      for (const account of this.accounts()) {
        verdict = verifyAuthenticate(authenticate, challenge, {
          ...account,
          domain: account.domain ?? authenticate.domain,
        });
        if (verdict.ok) break;
      }
    } catch (error) {
      verdict = { ok: false, reason: (error as Error).message };
    }
    if (!verdict.ok) return this.refuse(verdict.reason);
    this.counters.authenticated++;
    state.user = `${verdict.domain}\\${verdict.user}`;
    return { kind: 'ok', user: state.user };
  }

  /** Forgets every socket's authentication (as a restarted service tier would): the next request gets a 401. */
  forgetAll(): void {
    this.state = new WeakMap();
  }

  private refuse(reason: string): NtlmGateResult {
    this.counters.refused++;
    return { kind: 'refused', reason };
  }
}
