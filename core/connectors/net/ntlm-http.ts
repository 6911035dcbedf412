/**
 * NTLM over HTTP keep-alive (MS-NLMP over RFC 4559's header exchange): each session is one socket of its own
 * (`HttpTransport.socket()`); the first request on it runs the handshake (NEGOTIATE → 401 + CHALLENGE →
 * AUTHENTICATE), later requests travel unauthenticated on the now-authenticated socket. When the server answers a
 * later request with a new NTLM 401 (the socket was replaced after a timeout, or the server dropped it), the session
 * runs the handshake again — a 401 means the request was not processed, so sending it again is safe.
 */
import type { RequestInit, Response } from 'undici';
import type { HttpTransport, SocketSession } from './http-factory.js';
import {
  type NtlmCredentials,
  NtlmError,
  authenticateMessage,
  negotiateMessage,
  ntlmToken,
  offersNtlm,
  parseChallenge,
} from './ntlm.js';

interface Session {
  socket: SocketSession;
  authenticated: boolean;
}

export class NtlmSessions {
  private readonly idle: Session[] = [];
  private readonly all = new Set<Session>();

  constructor(
    private readonly transport: Pick<HttpTransport, 'socket'>,
    private readonly credentials: NtlmCredentials,
  ) {}

  /** Sessions opened so far (one per request that found none idle): what tests look at. */
  get size(): number {
    return this.all.size;
  }

  /**
   * Sends the request on an idle authenticated socket, or a new one after a handshake. The body must be a string
   * or absent, since a handshake may send it more than once. Returns the final response; a 401 after the
   * AUTHENTICATE message means the server refused the credentials (the caller puts that into words).
   */
  async fetch(url: string, init: RequestInit): Promise<Response> {
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') {
      throw new Error('NTLM requests need a string body (it may be sent again during the handshake)');
    }
    const session = this.idle.pop() ?? this.open();
    let reusable = false;
    try {
      const response = await this.send(session, url, init);
      // A server closing the socket ends its authentication; undici (7.x) then also stops keeping later sockets of
      // that dispatcher alive, which would split every handshake over two sockets: start afresh instead.
      reusable = !/\bclose\b/i.test(response.headers.get('connection') ?? '');
      return response;
    } finally {
      // A failed or aborted request leaves the socket in an unknown state: drop the session rather than reuse it.
      if (reusable) this.idle.push(session);
      else this.discard(session);
    }
  }

  async close(): Promise<void> {
    const sessions = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(sessions.map((s) => s.socket.close()));
  }

  private open(): Session {
    const session = { socket: this.transport.socket(), authenticated: false };
    this.all.add(session);
    return session;
  }

  private discard(session: Session): void {
    this.all.delete(session);
    void session.socket.close();
  }

  private async send(session: Session, url: string, init: RequestInit): Promise<Response> {
    if (session.authenticated) {
      const response = await session.socket.fetch(url, init);
      if (response.status !== 401 || !offersNtlm(response.headers.get('www-authenticate'))) return response;
      await drain(response);
      session.authenticated = false;
    }
    const headers = (extra: string): Record<string, string> => ({
      ...(init.headers as Record<string, string> | undefined),
      authorization: `NTLM ${extra}`,
    });
    const first = await session.socket.fetch(url, { ...init, headers: headers(negotiateMessage().toString('base64')) });
    if (first.status !== 401) {
      // The server let the request through without authentication (or failed it for another reason).
      return first;
    }
    const offered = first.headers.get('www-authenticate');
    const token = ntlmToken(offered);
    if (!token) {
      await drain(first);
      throw new NtlmError(
        offered && offersNtlm(offered)
          ? 'the server offered NTLM but sent no challenge to the NEGOTIATE message'
          : `the server does not offer NTLM (Windows) authentication${offered ? ` (it asks for: ${scheme(offered)})` : ''}`,
      );
    }
    await drain(first);
    const challenge = parseChallenge(token);
    const authenticate = authenticateMessage(challenge, this.credentials).toString('base64');
    const final = await session.socket.fetch(url, { ...init, headers: headers(authenticate) });
    session.authenticated = final.status !== 401;
    return final;
  }
}

/** The 401's body must be read before the next request can use the socket. */
async function drain(response: Response): Promise<void> {
  await response.arrayBuffer().catch(() => undefined);
}

function scheme(header: string): string {
  return header
    .split(',')
    .map((part) => part.trim().split(/\s+/)[0])
    .filter((name) => name && !name.includes('='))
    .join(', ');
}
