/**
 * The browser sign-in of a saved connection (OAuth 2.0 authorization code with PKCE, RFC 6749 §4.1 + RFC 7636),
 * for every host: the desktop engine and `ferry serve` through the contract (`startAuthorization`), `ferry auth`
 * directly. The host makes the state and the verifier, listens for the browser's redirect on 127.0.0.1 (RFC 8252
 * §7.3), checks the state, has the connector exchange the code — which stores the refresh token through
 * `ctx.saveSecret` — and answers the browser with a small page. The code, the verifier and the tokens stay in this
 * process: never in a status, an event, a log line or a file.
 */
import { errorMessage } from '../connectors/errors.js';
import { createOAuthState, createPkce } from '../connectors/pkce.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Connector, Logger } from '../connectors/types.js';
import { connectionContext, silentLogger } from '../engine/prepare-nodes.js';
import { type ConnectionFile, secretAccount } from '../model/connection.js';
import { ApiError } from '../model/contract.js';
import type { AuthorizationStatus, StartedAuthorization } from '../model/sign-in-contract.js';
import { parseOrThrow } from '../model/validation-error.js';
import type { SecretStore } from '../secrets/secret-store.js';
import {
  type LoadedWorkspace,
  connectionFile,
  readConnection,
  saveConnection as writeConnectionFile,
} from '../store/workspace-store.js';
import type { ApiHandlers } from './dispatch.js';
import { type RedirectListener, type SignInPage, openRedirectListener } from './redirect-listener.js';
import { redactor } from './test-tokens.js';

/** How long Ferry listens for the browser: time to find the tab, sign in and consent. */
export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;
/** The code exchange is one token request; the browser waits for it to show the result. */
export const EXCHANGE_TIMEOUT_MS = 60_000;

export interface SignInDeps {
  registry: ConnectorRegistry;
  secrets: SecretStore;
  workspace(): Promise<LoadedWorkspace>;
  /** Writes a connection file (the desktop and `ferry serve` tell their watcher it is their own write). */
  saveConnection?(dir: string, file: ConnectionFile): Promise<void>;
  /** Every status change of a connection's sign-in (the hosts send it as an `authorization` event). */
  onStatus?(connectionId: string, status: AuthorizationStatus): void;
  log?: Logger;
  timeoutMs?: number;
}

export interface StartedSignIn extends StartedAuthorization {
  redirectUri: string;
  /** Settles once: signed in, failed, timed out, or replaced by a newer start for the connection. */
  done: Promise<AuthorizationStatus>;
}

/** One waiting sign-in: its listener, its deadline, and the status it ended with. */
class Attempt {
  /** Aborts a code exchange under way when the attempt is cancelled. */
  readonly controller = new AbortController();
  readonly done: Promise<AuthorizationStatus>;
  timer: NodeJS.Timeout | undefined;
  private final: AuthorizationStatus | undefined;

  constructor(
    readonly connection: ConnectionFile,
    readonly listener: RedirectListener,
    private readonly onDecided: (status: AuthorizationStatus, publish: boolean) => void,
  ) {
    // Settles once the listener has closed, so whoever awaits it finds the port free again.
    this.done = listener.closed.then(() => this.final ?? { state: 'failed', message: 'the sign-in was stopped' });
  }

  /** The outcome, once (a later one — a cancel racing an answer — is ignored); `publish: false` keeps it quiet. */
  decide(status: AuthorizationStatus, publish = true): void {
    if (this.final) return;
    this.final = status;
    clearTimeout(this.timer);
    this.controller.abort(new Error(status.message ?? 'stopped'));
    this.onDecided(status, publish);
  }

  /** Decides (unless decided), closes the listener, and waits for it. */
  async stop(status: AuthorizationStatus, publish = true): Promise<void> {
    this.decide(status, publish);
    await this.listener.close();
  }
}

/**
 * A port the connection's settings fix for the redirect URI (`redirectPort`), for providers that accept only a
 * registered URI; else 0 and the OS chooses, as RFC 8252 §7.3 asks providers to allow.
 */
export function redirectPortOf(settings: unknown): number {
  const port = (settings as { redirectPort?: unknown } | null)?.redirectPort;
  return typeof port === 'number' && Number.isInteger(port) && port > 0 && port <= 65535 ? port : 0;
}

/** The browser's plain words for an `error=` answer (RFC 6749 §4.1.2.1). */
export function refusalMessage(error: string, description: string | null): string {
  const detail = description ? `: ${description.slice(0, 300)}` : '';
  if (error === 'access_denied') return `the sign-in was cancelled or refused in the browser (access_denied${detail})`;
  return `the sign-in page answered ${error.slice(0, 100)}${detail}`;
}

export class OAuthSignIns {
  private readonly attempts = new Map<string, Attempt>();
  private readonly statuses = new Map<string, AuthorizationStatus>();
  /** Starts of one connection run one after the other, so "a new start replaces the waiting one" always holds. */
  private readonly starting = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: SignInDeps) {}

  status(connectionId: string): AuthorizationStatus {
    return this.statuses.get(connectionId) ?? { state: 'idle' };
  }

  start(connectionId: string): Promise<StartedSignIn> {
    const previous = this.starting.get(connectionId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.startNow(connectionId));
    this.starting.set(connectionId, next);
    return next;
  }

  /** Stops a waiting sign-in of the connection (its listener closes). */
  async cancel(connectionId: string, reason = 'the sign-in was cancelled', publish = true): Promise<void> {
    await this.attempts.get(connectionId)?.stop({ state: 'failed', message: reason }, publish);
  }

  /** Stops every waiting sign-in (the workspace closes, the host stops) and forgets the statuses. */
  async cancelAll(reason = 'the sign-in was stopped: the workspace was closed'): Promise<void> {
    await Promise.all([...this.attempts.keys()].map((id) => this.cancel(id, reason, false)));
    this.statuses.clear();
  }

  private setStatus(connectionId: string, status: AuthorizationStatus): void {
    this.statuses.set(connectionId, status);
    this.deps.onStatus?.(connectionId, status);
  }

  private async startNow(connectionId: string): Promise<StartedSignIn> {
    const ws = await this.deps.workspace();
    const { connection, connector, settings } = signInTarget(ws, this.deps.registry, connectionId);
    // Before listening: a fixed redirect port must be free again.
    await this.cancel(connectionId, 'replaced by a newer sign-in of this connection', false);
    const { verifier, challenge } = createPkce();
    const state = createOAuthState();
    const listener = await openRedirectListener({
      port: redirectPortOf(settings),
      state,
      onRedirect: (query) => this.answer(attempt, connector, query, { verifier, redirectUri: listener.redirectUri }),
    });
    const attempt = new Attempt(connection, listener, (status, publish) => {
      if (this.attempts.get(connectionId) === attempt) this.attempts.delete(connectionId);
      if (publish) this.setStatus(connectionId, status);
    });
    let url: string;
    try {
      url = connector.oauth!.authorizationUrl(settings, {
        redirectUri: listener.redirectUri,
        state,
        codeChallenge: challenge,
      });
      if (!/^https?:\/\//i.test(url)) throw new Error('the connector built a sign-in address that is not http(s)');
    } catch (error) {
      await attempt.stop({ state: 'failed', message: errorMessage(error) }, false);
      throw error;
    }
    const timeoutMs = this.deps.timeoutMs ?? SIGN_IN_TIMEOUT_MS;
    const expiresAt = new Date(Date.now() + timeoutMs).toISOString();
    attempt.timer = setTimeout(() => {
      const minutes = timeoutMs / 60_000;
      const wait = Number.isInteger(minutes) ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${timeoutMs / 1000} s`;
      void attempt.stop({ state: 'failed', message: `no answer from the browser within ${wait}: start the sign-in again` }); // prettier-ignore
    }, timeoutMs).unref();
    this.attempts.set(connectionId, attempt);
    this.setStatus(connectionId, { state: 'waiting', message: 'Waiting for the browser…', expiresAt });
    (this.deps.log ?? silentLogger).info(
      `browser sign-in of connection "${connection.name}" waits on 127.0.0.1:${listener.port} until ${expiresAt}`,
    );
    return { url, expiresAt, redirectUri: listener.redirectUri, done: attempt.done };
  }

  /** The browser came back with the right state: a refusal, or a code to exchange. */
  private async answer(
    attempt: Attempt,
    connector: Connector,
    query: URLSearchParams,
    exchange: { verifier: string; redirectUri: string },
  ): Promise<SignInPage> {
    const name = attempt.connection.name;
    // The listener answers the browser with the page, then closes itself.
    const failed = (message: string): SignInPage => {
      attempt.decide({ state: 'failed', message });
      return { status: 200, title: 'Ferry is not signed in', message: `${name}: ${message}. You can close this tab.` };
    };
    const error = query.get('error');
    if (error !== null) return failed(refusalMessage(error, query.get('error_description')));
    const code = query.get('code');
    if (!code) return failed('the sign-in page answered without a code');
    clearTimeout(attempt.timer);
    const saved = new Map<string, string>();
    const redact = (text: string) => redactor([code, exchange.verifier, ...saved.values()])(text);
    try {
      const result = await this.exchange(attempt, connector, { code, ...exchange }, saved);
      if (!result.ok) return failed(redact(result.message));
      attempt.decide({ state: 'signed-in', message: redact(result.message) });
      return {
        status: 200,
        title: `Ferry is signed in to ${name}`,
        message: `Ferry is signed in to ${name}. You can close this tab.`,
      };
    } catch (thrown) {
      return failed(redact(errorMessage(thrown)));
    }
  }

  /** The connector's exchange with the saved connection's context; secrets it stores get a reference in the file. */
  private async exchange(
    attempt: Attempt,
    connector: Connector,
    request: { code: string; verifier: string; redirectUri: string },
    saved: Map<string, string>,
  ) {
    const ws = await this.deps.workspace();
    const view = { dir: ws.dir, workspaceId: ws.workspace.id, connections: ws.connections };
    const signal = AbortSignal.any([attempt.controller.signal, AbortSignal.timeout(EXCHANGE_TIMEOUT_MS)]);
    const log = this.deps.log ?? silentLogger;
    const id = attempt.connection.id;
    const ctx = connectionContext(connector.descriptor.id, id, view, this.deps.registry, this.deps.secrets, signal, log); // prettier-ignore
    const store = ctx.saveSecret!;
    ctx.saveSecret = async (field, value) => {
      saved.set(field, value);
      await store(field, value);
    };
    const result = await connector.oauth!.exchangeCode(ctx, {
      code: request.code,
      redirectUri: request.redirectUri,
      codeVerifier: request.verifier,
    });
    if (saved.size > 0) await this.referenceSecrets(ws, id, [...saved.keys()]);
    return result;
  }

  /**
   * A secret stored by the sign-in lives under the account the file names, or the connection's default account
   * (what the engine reads when the file names none). The file gets the reference, so the editor shows the secret
   * as stored and deleting the connection removes it.
   */
  private async referenceSecrets(ws: LoadedWorkspace, id: string, fields: string[]): Promise<void> {
    const file = await readConnection(ws.dir, id);
    const missing = fields.filter((field) => !file.secrets?.[field]);
    if (missing.length === 0) return;
    const secrets = { ...file.secrets };
    for (const field of missing) secrets[field] = { secret: secretAccount(ws.workspace.id, id, field) };
    await (this.deps.saveConnection ?? writeConnectionFile)(ws.dir, { ...file, secrets });
  }
}

/** The connection, its connector's sign-in and its validated settings; what is missing is named plainly. */
function signInTarget(ws: LoadedWorkspace, registry: ConnectorRegistry, id: string) {
  const connection = ws.connections.get(id);
  if (!connection) {
    const known = [...ws.connections.keys()];
    throw new ApiError({
      code: 'not-found',
      message: `no connection "${id}" in ${ws.workspace.name}${known.length ? ` (connections: ${known.join(', ')})` : ''}`,
    });
  }
  const connector = registry.get(connection.connector);
  if (!connector?.oauth) {
    throw new ApiError({
      code: 'invalid-input',
      message: `connection "${connection.name}" uses the ${connector?.descriptor.name ?? connection.connector} connector, which has no browser sign-in`,
    });
  }
  const settings = connector.connectionSettings
    ? parseOrThrow(connector.connectionSettings, connection.settings, connectionFile(id), ['settings'])
    : connection.settings;
  return { connection, connector, settings };
}

/** The contract's two methods over a host's sign-ins. */
export function signInHandlers(signIns: OAuthSignIns): Pick<ApiHandlers, 'startAuthorization' | 'authorizationStatus'> {
  return {
    startAuthorization: async ({ connectionId }) => {
      const { url, expiresAt } = await signIns.start(connectionId);
      return { url, expiresAt };
    },
    authorizationStatus: async ({ connectionId }) => signIns.status(connectionId),
  };
}
