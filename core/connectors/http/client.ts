import { ConfigError, ConnectionError, errorMessage } from '../errors.js';
import { type HttpTransport, NetworkError } from '../net/http-factory.js';
import { RequestTimeout, abortableSleep, parseJsonBody, parseRetryAfter } from '../net/retry.js';
import type { Logger } from '../types.js';
import { hostOf, opensslReason, rootCause } from './error-cause.js';
import { DEFAULT_RETRY } from './descriptor.js';

// Shared with every connector (core/connectors/net/retry.ts); re-exported for the http connector's callers.
export { abortableSleep, parseRetryAfter };

/** Injectable time and chance, so retry tests are deterministic and never wait for real. */
export interface HttpClientOptions {
  /** Waits `ms`; must reject promptly (with `signal.reason`) when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** In [0, 1): the full-jitter factor of the backoff. */
  random?: () => number;
  /** Epoch ms, for `Retry-After: <HTTP-date>`. */
  now?: () => number;
}

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface HttpClientInit {
  baseUrl: string;
  /** Full `Authorization` header value; sent only to the base URL's origin. */
  authorization?: string;
  /** Values never to print (password, token, encoded credentials). */
  secrets?: string[];
  headers?: Record<string, string>;
  /** The connection's network options and concurrency pool (from openHttp); its timeout is the request timeout. */
  transport: HttpTransport;
  retry?: Partial<RetrySettings>;
  log?: Logger;
  /** For messages: `connection "Shop API"`. */
  label?: string;
  /** For the hint on a 401. */
  auth?: 'none' | 'basic' | 'bearer';
}

export interface HttpRequest {
  method: string;
  url: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** Overrides the connection's retry.maxAttempts (the connection test tries once). */
  maxAttempts?: number;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  url: string;
  text: string;
  /** The parsed body; undefined when it is empty or not JSON. */
  json: unknown;
  attempts: number;
}

/**
 * The remote answered at least once, but the last attempt ended in a network failure: the record fails, the run goes
 * on (a ConnectionError is for a remote that never answers).
 */
export class HttpRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HttpRequestError';
  }
}

/** Statuses worth another attempt: the server is busy or briefly broken, the request itself may be fine. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

interface NetworkFailure {
  /** What went wrong, e.g. "connection refused", "timed out after 30000 ms". */
  reason: string;
  /** Retrying cannot help (unknown host, bad certificate). */
  permanent: boolean;
}

export class HttpClient {
  readonly baseUrl: string;
  private readonly origin: string;
  private readonly retry: RetrySettings;
  private readonly secrets: string[];
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(
    private readonly init: HttpClientInit,
    options: HttpClientOptions = {},
  ) {
    this.baseUrl = init.baseUrl;
    this.origin = new URL(init.baseUrl).origin;
    this.retry = { ...DEFAULT_RETRY, ...init.retry };
    // Short values would blank out ordinary words in messages; real passwords and tokens are longer.
    this.secrets = [...(init.secrets ?? []), ...init.transport.secrets]
      .filter((s) => s.length >= 4)
      .sort((a, b) => b.length - a.length);
    this.sleep = options.sleep ?? abortableSleep;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  /** baseUrl + path, with exactly one "/" between them (a base of ".../v1" keeps its "/v1"). */
  resolve(path: string): string {
    return `${this.baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  }

  /** Removes every secret value from a text that may be shown or logged. */
  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    return out;
  }

  /** A URL fit for messages: no userinfo, no secrets (a next link may carry a token in its query). */
  safeUrl(url: string): string {
    try {
      const parsed = new URL(url);
      parsed.username = '';
      parsed.password = '';
      return this.redact(parsed.href);
    } catch {
      return this.redact(url);
    }
  }

  /**
   * Sends the request, retrying busy/broken answers (408, 429, 5xx) and transient network failures with exponential
   * backoff and full jitter, honouring Retry-After. Returns the last response, whatever its status: the caller
   * decides what a 4xx means for it. Throws ConnectionError when the remote never answered (or cannot be reached at
   * all), HttpRequestError when it answered before but not on the last attempt, and `signal.reason` on abort.
   */
  async request(req: HttpRequest): Promise<HttpResponse> {
    const maxAttempts = Math.max(1, req.maxAttempts ?? this.retry.maxAttempts);
    const where = `${req.method} ${this.safeUrl(req.url)}`;
    let answered = false;
    for (let attempt = 1; ; attempt++) {
      req.signal.throwIfAborted();
      let response: HttpResponse | undefined;
      let failure: NetworkFailure | undefined;
      try {
        response = await this.once(req, attempt);
        answered = true;
      } catch (error) {
        if (req.signal.aborted) throw req.signal.reason;
        if (error instanceof ConfigError) throw error;
        failure = this.classify(error);
        if (failure.permanent) throw new ConnectionError(`cannot reach ${this.safeUrl(req.url)}: ${failure.reason}`);
      }
      this.init.log?.debug(`${where} → ${response ? `HTTP ${response.status}` : failure!.reason}`);
      if (response && !RETRYABLE_STATUSES.has(response.status)) return response;
      if (attempt >= maxAttempts) {
        if (response) return response;
        const tries = maxAttempts > 1 ? ` (${maxAttempts} attempts)` : '';
        if (answered) throw new HttpRequestError(`${where}: ${failure!.reason}${tries}`);
        throw new ConnectionError(`cannot reach ${this.safeUrl(req.url)}: ${failure!.reason}${tries}`);
      }
      const delay = this.backoff(attempt, response?.headers.get('retry-after') ?? null);
      const why = response ? `HTTP ${response.status}` : failure!.reason;
      this.init.log?.warn(`${where}: ${why}; retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`);
      await this.sleep(delay, req.signal);
    }
  }

  /** The whole-run failure for a 401/403 answer (bad credentials, missing permission); undefined for others. */
  authFailure(response: HttpResponse, where: string): ConnectionError | undefined {
    const problem = authProblem(response.status);
    if (!problem) return undefined;
    const label = this.init.label ?? 'the connection';
    const hint =
      response.status === 403
        ? 'the credentials work but may not do this'
        : this.init.auth === 'basic'
          ? `check the username and password of ${label}`
          : this.init.auth === 'bearer'
            ? `check the token of ${label}`
            : `the API wants credentials: set auth on ${label}`;
    const text = this.redact(remoteErrorText(response));
    return new ConnectionError(`${problem} (HTTP ${response.status} ${where}): ${hint}${text ? ` — ${text}` : ''}`);
  }

  /** The wait before attempt `attempt + 1`: the server's Retry-After if it gave one, else full-jitter backoff. */
  backoff(attempt: number, retryAfter: string | null): number {
    const { baseDelayMs, maxDelayMs } = this.retry;
    const hinted = parseRetryAfter(retryAfter, this.now());
    if (hinted !== undefined) return Math.min(hinted, maxDelayMs);
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceiling);
  }

  /** Network choices the user must see with the connection (certificate verification off). */
  get warnings(): string[] {
    return this.init.transport.warnings;
  }

  /** Closes the dispatchers the client's transport owns (none during an engine run: the run closes them). */
  close(): Promise<void> {
    return this.init.transport.close();
  }

  /** Requests this client may have in flight (the connection's pool level); undefined outside the engine. */
  get limit(): number | undefined {
    return this.init.transport.limit;
  }

  /**
   * One attempt, inside a slot of the connection's pool: the slot is held until the body is read, and given back
   * before a retry's backoff, so a waiting retry never blocks other flows on the same connection.
   */
  private async once(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    const release = await this.init.transport.acquire(req.signal);
    try {
      return await this.send(req, attempt);
    } finally {
      release();
    }
  }

  private async send(req: HttpRequest, attempt: number): Promise<HttpResponse> {
    const timeout = AbortSignal.timeout(this.init.transport.timeoutMs);
    const signal = AbortSignal.any([req.signal, timeout]);
    const headers: Record<string, string> = { accept: 'application/json', ...this.init.headers, ...req.headers };
    if (req.body !== undefined) headers['content-type'] ??= 'application/json';
    // A next link or redirect target on another host must not receive our credentials.
    if (this.init.authorization && sameOrigin(req.url, this.origin)) headers.authorization = this.init.authorization;
    try {
      const res = await this.init.transport.fetch(req.url, {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
      });
      // The body is read under the same timeout: a server that sends headers and then stalls is as stuck as one
      // that never answers.
      const text = await res.text();
      return {
        status: res.status,
        // undici's Headers and the global one are the same class at run time; only their typings differ.
        headers: res.headers as unknown as Headers,
        url: res.url || req.url,
        text,
        json: parseJsonBody(text),
        attempts: attempt,
      };
    } catch (error) {
      if (req.signal.aborted) throw req.signal.reason;
      if (timeout.aborted) throw new RequestTimeout();
      // fetch throws a bare TypeError (no cause) for requests it refuses to build, e.g. a header value with a newline.
      if (error instanceof TypeError && error.cause === undefined && error.message !== 'fetch failed') {
        throw new ConfigError(`cannot send ${req.method} ${this.safeUrl(req.url)}: ${this.redact(error.message)}`);
      }
      throw error;
    }
  }

  private classify(error: unknown): NetworkFailure {
    if (error instanceof RequestTimeout)
      return { reason: `timed out after ${this.init.transport.timeoutMs} ms`, permanent: false };
    if (error instanceof NetworkError) return { reason: this.redact(error.message), permanent: error.permanent };
    const cause = rootCause(error);
    const code = typeof cause.code === 'string' ? cause.code : '';
    const message = this.redact(cause.message ?? errorMessage(error));
    switch (code) {
      case 'ECONNREFUSED':
        return { reason: 'connection refused', permanent: false };
      case 'ECONNRESET':
      case 'EPIPE':
      case 'UND_ERR_SOCKET':
        return { reason: 'connection reset by the server', permanent: false };
      case 'ENOTFOUND':
        return {
          reason: `host not found (DNS lookup failed for ${hostOf(cause.hostname ?? message)})`,
          permanent: true,
        };
      case 'EAI_AGAIN':
        return { reason: 'DNS lookup failed temporarily', permanent: false };
      case 'ETIMEDOUT':
      case 'UND_ERR_CONNECT_TIMEOUT':
        return { reason: 'connect timed out', permanent: false };
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
        return { reason: 'timed out waiting for the server', permanent: false };
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
      case 'ENETDOWN':
        return { reason: 'host unreachable', permanent: false };
    }
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(code)) {
      return { reason: `certificate problem: ${message}`, permanent: true };
    }
    if (/^ERR_SSL_|^ERR_TLS_/.test(code))
      return { reason: `TLS handshake failed: ${opensslReason(message)}`, permanent: true };
    return { reason: code ? `${message} (${code})` : message, permanent: false };
  }
}

/**
 * The remote's own words about a failure: the usual JSON error shapes (`{error: {message}}`, `{message}`, RFC 7807
 * `{title, detail}`, OData v2 `{error: {message: {value}}}`), else the start of the body.
 */
export function remoteErrorText(response: Pick<HttpResponse, 'json' | 'text'>): string {
  const body = response.json;
  const candidates: unknown[] = [];
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const error = b.error;
    if (error && typeof error === 'object') {
      const e = error as Record<string, unknown>;
      const message = e.message;
      candidates.push(message && typeof message === 'object' ? (message as Record<string, unknown>).value : message);
    }
    candidates.push(error, b.message, b.error_description, b.detail, b.title, b.errorMessage);
  }
  const found = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  const text = (found ?? response.text).replace(/\s+/g, ' ').trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** The whole-run failure for 401/403; undefined for any other status. */
export function authProblem(status: number): string | undefined {
  if (status === 401) return 'bad credentials';
  if (status === 403) return 'missing permission';
  return undefined;
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

function sameOrigin(url: string, origin: string): boolean {
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}
