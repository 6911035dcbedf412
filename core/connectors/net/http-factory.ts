import { createHash } from 'node:crypto';
import type { PeerCertificate } from 'node:tls';
import { type Dispatcher, type RequestInit, type Response, fetch } from 'undici';
import { envSecretName } from '../../secrets/secret-store.js';
import { ConnectionError } from '../errors.js';
import type { ConnectorContext, Logger } from '../types.js';
import { createDispatcher, proxyFor, proxyToken, safeProxyUrl } from './dispatcher.js';
import { type NetworkOptions, type ResolvedNetwork, resolveNetwork, untrustedWarning } from './network-options.js';
import { certificateMessage, isCertificateErrorCode, peerCertificate } from './tls-errors.js';

/**
 * A network failure already put into words (certificate, proxy). `permanent`: retrying cannot help. `code` keeps the
 * underlying code (OpenSSL's, or ERR_PROXY_AUTH) for callers that branch on it.
 */
export class NetworkError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly permanent: boolean,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'NetworkError';
  }
}

/**
 * The dispatchers of one run (or one connection test), one per distinct set of network options, so every node on
 * a connection shares its sockets and keep-alive. The engine closes the scope when the run ends.
 */
export class NetworkScope {
  private readonly dispatchers = new Map<string, Dispatcher>();
  private readonly warned = new Set<string>();
  private sockets = 0;
  private closed = false;

  dispatcher(network: ResolvedNetwork): Dispatcher {
    if (this.closed) throw new Error('network scope used after the run closed it');
    // Hashed: the key holds the proxy password, and a Map key is easy to dump while debugging.
    const key = createHash('sha256').update(JSON.stringify(network)).digest('hex');
    let dispatcher = this.dispatchers.get(key);
    if (!dispatcher) {
      dispatcher = createDispatcher(network);
      this.dispatchers.set(key, dispatcher);
    }
    return dispatcher;
  }

  /**
   * A dispatcher of its own with one socket per origin, closed with the scope (or earlier by its user): connection-
   * oriented auth (NTLM) authenticates a socket, so a handshake and the requests after it must share one.
   */
  singleSocket(network: ResolvedNetwork): { dispatcher: Dispatcher; close(): Promise<void> } {
    if (this.closed) throw new Error('network scope used after the run closed it');
    const dispatcher = createDispatcher(network, { connections: 1 });
    const key = `socket-${++this.sockets}`;
    this.dispatchers.set(key, dispatcher);
    return {
      dispatcher,
      close: async () => {
        this.dispatchers.delete(key);
        await dispatcher.destroy().catch(() => undefined);
      },
    };
  }

  /** Logs a warning once per scope (each node on the connection would otherwise repeat it). */
  warnOnce(log: Logger, message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    log.warn(message);
  }

  get size(): number {
    return this.dispatchers.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.dispatchers.values()];
    this.dispatchers.clear();
    // destroy, not close: close waits for idle keep-alive sockets of requests an aborted run left behind.
    await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
  }
}

/** What a connector sends its requests through: fetch with the connection's network options and pool. */
export interface HttpTransport {
  fetch(url: string, init: RequestInit): Promise<Response>;
  readonly network: ResolvedNetwork;
  readonly timeoutMs: number;
  /** Requests the connection may have in flight (its pool's level); undefined outside the engine. */
  readonly limit: number | undefined;
  /** A slot of the connection's concurrency pool: hold it around each request (and the reading of its body). */
  acquire(signal: AbortSignal): Promise<() => void>;
  /** Said once in the run log and returned by the connection test (untrusted certificates allowed). */
  readonly warnings: string[];
  /** Values a message must never show (proxy password and its encoded form). */
  readonly secrets: string[];
  /**
   * A fetch whose requests to an origin all travel on one keep-alive socket (NTLM authenticates the socket); `close`
   * gives it up early, else it closes with the transport's scope.
   */
  socket(): SocketSession;
  /** Closes the dispatchers when the transport made its own scope (no engine run); otherwise the run does. */
  close(): Promise<void>;
}

export interface SocketSession {
  fetch(url: string, init: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The one HTTP factory of every connector: reads the network options out of the connection's validated settings,
 * the proxy password from the secret store, and returns a fetch that goes through the right dispatcher, explains
 * certificate and proxy failures precisely, and a pool slot to hold around each request.
 */
export async function openHttp(
  ctx: ConnectorContext,
  settings: Partial<NetworkOptions>,
  label: string,
): Promise<HttpTransport> {
  const network = await resolveNetwork(settings, ctx.secret);
  if (network.proxy.kind === 'custom' && network.proxy.username && !network.proxy.password) {
    const id = ctx.connection?.id ?? 'connection';
    throw new ConnectionError(
      `${label} uses a proxy with the username "${network.proxy.username}" but has no proxyPassword stored: enter ` +
        `it in the connection's settings (kept in the system keychain) or, for headless runs, set the environment ` +
        `variable ${envSecretName(id, 'proxyPassword')}`,
    );
  }
  const owned = ctx.network === undefined;
  const scope = ctx.network ?? new NetworkScope();
  const dispatcher = scope.dispatcher(network);
  const warnings: string[] = [];
  if (!network.rejectUnauthorized) {
    warnings.push(untrustedWarning(label));
    scope.warnOnce(ctx.log, untrustedWarning(label));
  }
  const token = proxyToken(network.proxy);
  const secrets = [network.proxy.kind === 'custom' ? network.proxy.password : undefined, token?.slice(6)].filter(
    (s): s is string => s !== undefined && s !== '',
  );
  return {
    network,
    timeoutMs: network.timeoutMs,
    limit: ctx.limit,
    warnings,
    secrets,
    acquire: ctx.acquire ? (signal) => ctx.acquire!(signal) : async () => () => undefined,
    fetch: (url, init) => fetchThrough(dispatcher, network, label, url, init),
    socket: () => {
      const own = scope.singleSocket(network);
      return {
        fetch: (url, init) => fetchThrough(own.dispatcher, network, label, url, init),
        close: own.close,
      };
    },
    close: owned ? () => scope.close() : async () => undefined,
  };
}

async function fetchThrough(
  dispatcher: Dispatcher,
  network: ResolvedNetwork,
  label: string,
  url: string,
  init: RequestInit,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, dispatcher });
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw (await explain(error, url, network, label)) ?? error;
  }
  // Plain-http requests go to the proxy in absolute form, so its 407 arrives as an ordinary answer.
  const proxy = response.status === 407 ? proxyFor(new URL(url), network) : undefined;
  if (proxy) {
    await response.body?.cancel().catch(() => undefined);
    throw proxyRefused(proxy, 407, label, network);
  }
  return response;
}

interface Cause {
  code?: string;
  message: string;
  cert?: PeerCertificate;
}

/** fetch's "fetch failed" TypeError wraps the socket/TLS error; undici's own errors may wrap once more. */
function causes(error: unknown): Cause[] {
  const out: Cause[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; message?: unknown; cert?: PeerCertificate; cause?: unknown };
    out.push({
      code: typeof e.code === 'string' ? e.code : undefined,
      message: typeof e.message === 'string' ? e.message : '',
      cert: e.cert,
    });
    current = e.cause;
  }
  return out;
}

async function explain(
  error: unknown,
  url: string,
  network: ResolvedNetwork,
  label: string,
): Promise<NetworkError | undefined> {
  const chain = causes(error);
  const target = new URL(url);
  // undici's words: "Proxy response (407) !== 200 when HTTP Tunneling" (CONNECT), "Proxy Authentication Required
  // (407)" (absolute form).
  const tunnel = chain
    .map((c) => /Proxy response \((\d{3})\)|Proxy Authentication Required \((\d{3})\)/.exec(c.message))
    .find((m) => m !== null);
  const proxy = proxyFor(target, network);
  if (tunnel && proxy) return proxyRefused(proxy, Number(tunnel[1] ?? tunnel[2]), label, network, error);
  const cert = chain.find(
    (c) => c.code && (isCertificateErrorCode(c.code) || c.code === 'ERR_TLS_CERT_ALTNAME_INVALID'),
  );
  if (cert?.code) {
    const peer = cert.cert ?? (await peerCertificate(target, network, Math.min(network.timeoutMs, 5000)));
    return new NetworkError(certificateMessage(target.host, cert.code, peer), cert.code, true, error);
  }
  return undefined;
}

function proxyRefused(
  proxy: string,
  status: number,
  label: string,
  network: ResolvedNetwork,
  cause?: unknown,
): NetworkError {
  const shown = safeProxyUrl(proxy);
  if (status === 407) {
    const hint =
      network.proxy.kind === 'custom'
        ? `check the proxy username and password of ${label}`
        : 'check the credentials in the HTTPS_PROXY / HTTP_PROXY environment variable (http://user:password@host:port)';
    return new NetworkError(
      `the proxy ${shown} refused the credentials (HTTP 407 Proxy Authentication Required): ${hint}`,
      'ERR_PROXY_AUTH',
      true,
      cause,
    );
  }
  return new NetworkError(
    `the proxy ${shown} refused the connection (HTTP ${status})`,
    'ERR_PROXY_REFUSED',
    status < 500,
    cause,
  );
}
