import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError } from '../model/contract.js';
import { sameSecret } from '../secrets/same-secret.js';
import { sendSignInPage } from './sign-in-page.js';

/** Where the provider sends the browser back: `http://127.0.0.1:<port>/callback`. */
export const REDIRECT_PATH = '/callback';

export interface SignInPage {
  status: number;
  title: string;
  message: string;
}

export interface RedirectListener {
  /** `http://127.0.0.1:<port>/callback`: the redirect URI of the authorization request. */
  redirectUri: string;
  port: number;
  /** Stops listening and drops open connections; safe to call more than once. */
  close(): Promise<void>;
  /** Settles when the listener has closed: after the answered redirect's page, or `close()`. */
  closed: Promise<void>;
}

export interface RedirectListenerOptions {
  /** 0: a port the OS chooses (RFC 8252 §7.3); else the port of a redirect URI the provider has registered. */
  port: number;
  /** The authorization request's `state`: an answer without it is not the one Ferry waits for. */
  state: string;
  /**
   * The one redirect that carries the right state (its query: `code`, or `error` and `error_description`); the page
   * it returns is the browser's answer, after which the listener closes.
   */
  onRedirect(query: URLSearchParams): Promise<SignInPage>;
}

/**
 * The one-shot loopback listener of a browser sign-in (RFC 8252 §7.3): on 127.0.0.1 only — never a public
 * interface — and only for the redirect path. A request whose state is missing or wrong (a stale tab, another page
 * guessing) gets a refusal and the listener keeps waiting for the real answer; the first right one is the only one
 * handled.
 */
export async function openRedirectListener(options: RedirectListenerOptions): Promise<RedirectListener> {
  let answered = false;
  let closing = false;
  let markClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (markClosed = resolve));
  const server: Server = createServer((req, res) => void handle(req, res).catch(() => res.destroy()));
  const close = () => {
    if (!closing) {
      closing = true;
      server.close(() => markClosed());
      server.closeAllConnections();
    }
    return closed;
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET' || url.pathname !== REDIRECT_PATH) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' }).end('Not found');
      return;
    }
    const state = url.searchParams.get('state');
    if (state === null || !sameSecret(state, options.state)) {
      await sendSignInPage(res, 400, 'Not the sign-in Ferry is waiting for', staleAnswer);
      return;
    }
    if (answered) {
      await sendSignInPage(res, 409, 'Already answered', 'Ferry has received this sign-in already.');
      return;
    }
    answered = true;
    let page: SignInPage;
    try {
      page = await options.onRedirect(url.searchParams);
    } catch {
      page = { status: 500, title: 'Ferry is not signed in', message: 'Something went wrong: see Ferry.' };
    }
    await sendSignInPage(res, page.status, page.title, page.message);
    await close();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: options.port, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EADDRINUSE' || error.code === 'EACCES') {
      throw new ApiError({
        code: 'conflict',
        message:
          `settings.redirectPort: port ${options.port} of 127.0.0.1 is ${error.code === 'EACCES' ? 'not allowed' : 'in use by another program'}; ` +
          'close that program, or register another port for the redirect URI and enter it',
      });
    }
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  return { redirectUri: `http://127.0.0.1:${port}${REDIRECT_PATH}`, port, close, closed };
}

const staleAnswer =
  'This answer belongs to an earlier or another sign-in, so Ferry ignored it. Use the newest sign-in tab, or start ' +
  'the sign-in again in Ferry.';
