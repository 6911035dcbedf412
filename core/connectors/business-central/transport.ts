/**
 * One Business Central request with the rules BC asks of a client: each attempt holds a slot of the connection's
 * pool and of the principal's budget (5 concurrent, 6,000 per sliding 5 minutes), 429/503 (and for reads 5xx,
 * timeouts and resets) are retried with exponential backoff and full jitter honouring Retry-After (seconds or an
 * HTTP date), and a write whose fate is unknown (timed out or reset after it was sent, 502/504/408) is never sent
 * again blindly: it ends in `WriteUncertainError`, and the caller checks whether the record exists first.
 */
import type { RequestInit } from 'undici';
import { ConnectionError, errorMessage } from '../errors.js';
import { parseRetryAfter } from '../http/client.js';
import { type HttpTransport, NetworkError } from '../net/http-factory.js';
import { NtlmError } from '../net/ntlm.js';
import type { Logger } from '../types.js';
import type { BcAuth } from './auth.js';
import type { BcBudget, Clock } from './limits.js';

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface BcRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** Overrides the retry setting (the connection test tries once). */
  maxAttempts?: number;
}

export interface BcResponse {
  status: number;
  headers: Headers;
  url: string;
  text: string;
  json: unknown;
  attempts: number;
}

/** The request may or may not have been applied: check before sending it again. */
export class WriteUncertainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteUncertainError';
  }
}

/** Statuses after which a read is tried again; a write only after those saying it was not processed. */
const READ_RETRY = new Set([408, 429, 500, 502, 503, 504]);
const WRITE_RETRY = new Set([429, 503]);
/** A write answered so may have been applied by the server before the gateway gave up. */
const WRITE_UNCERTAIN = new Set([408, 502, 504]);

interface Failure {
  reason: string;
  /** The request never reached the server (refused, DNS, connect timeout): safe to send again, even a write. */
  unsent: boolean;
  permanent: boolean;
}

class Timeout extends Error {}

export interface TransportInit {
  http: HttpTransport;
  auth: BcAuth;
  budget: BcBudget;
  retry: RetrySettings;
  clock: Clock;
  random: () => number;
  log: Logger;
  /** Values never to show (client secret, passwords, tokens). */
  redact: (text: string) => string;
}

export class BcTransport {
  /** Requests sent (every attempt), for tests and the benchmark. */
  sent = 0;
  /** 429 answers received. */
  throttled = 0;

  constructor(private readonly init: TransportInit) {}

  get warnings(): string[] {
    return this.init.http.warnings;
  }

  /** Requests worth having in flight: the pool's level (the connector default outside the engine), capped by the budget. */
  get parallel(): number {
    return Math.min(this.init.http.limit ?? this.init.budget.limits.concurrent, this.init.budget.limits.concurrent);
  }

  async request(req: BcRequest): Promise<BcResponse> {
    const write = req.method !== 'GET';
    const maxAttempts = Math.max(1, req.maxAttempts ?? this.init.retry.maxAttempts);
    const where = `${req.method} ${this.init.redact(req.url)}`;
    for (let attempt = 1; ; attempt++) {
      req.signal.throwIfAborted();
      let response: BcResponse | undefined;
      let failure: Failure | undefined;
      try {
        response = await this.once(req, attempt);
      } catch (error) {
        if (req.signal.aborted) throw req.signal.reason;
        if (error instanceof NtlmError)
          throw new ConnectionError(`Windows authentication (NTLM) failed: ${error.message}`);
        if (error instanceof ConnectionError) throw error;
        failure = this.classify(error);
        if (failure.permanent) throw new ConnectionError(`cannot reach ${where}: ${failure.reason}`);
        if (write && !failure.unsent) throw new WriteUncertainError(`${where}: ${failure.reason}`);
      }
      if (response) {
        if (response.status === 429) this.throttled++;
        if (write && WRITE_UNCERTAIN.has(response.status)) {
          throw new WriteUncertainError(`${where}: HTTP ${response.status} (the server may have applied it)`);
        }
        if (!(write ? WRITE_RETRY : READ_RETRY).has(response.status)) return response;
      }
      if (attempt >= maxAttempts) {
        if (response) return response;
        throw new ConnectionError(`cannot reach ${where}: ${failure!.reason} (${maxAttempts} attempts)`);
      }
      const delay = this.backoff(attempt, response?.headers.get('retry-after') ?? null);
      const why = response ? `HTTP ${response.status}` : failure!.reason;
      this.init.log.warn(`${where}: ${why}; retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`);
      await this.init.clock.sleep(delay, req.signal);
    }
  }

  /** Retry-After when given (capped at maxDelayMs), else full-jitter exponential backoff. */
  backoff(attempt: number, retryAfter: string | null): number {
    const { baseDelayMs, maxDelayMs } = this.init.retry;
    const hinted = parseRetryAfter(retryAfter, this.init.clock.now());
    if (hinted !== undefined) return Math.min(hinted, maxDelayMs);
    return Math.floor(this.init.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
  }

  /** The wait between two rounds of a `$batch` whose operations BC answered 429/503 (not processed). */
  async pause(round: number, signal: AbortSignal): Promise<void> {
    this.throttled++;
    await this.init.clock.sleep(this.backoff(round, null), signal);
  }

  /** One attempt inside a pool slot and a budget slot, both given back before any backoff. */
  private async once(req: BcRequest, attempt: number): Promise<BcResponse> {
    const releasePool = await this.init.http.acquire(req.signal);
    try {
      const releaseBudget = await this.init.budget.acquire(req.signal);
      try {
        this.sent++;
        return await this.send(req, attempt);
      } finally {
        releaseBudget();
      }
    } finally {
      releasePool();
    }
  }

  private async send(req: BcRequest, attempt: number): Promise<BcResponse> {
    const timeout = AbortSignal.timeout(this.init.http.timeoutMs);
    const signal = AbortSignal.any([req.signal, timeout]);
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.body !== undefined) headers['content-type'] ??= 'application/json';
    const init: RequestInit = {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal,
    };
    try {
      const res = await this.init.auth.send(req.url, init, req.signal);
      const text = await res.text();
      return {
        status: res.status,
        headers: res.headers as unknown as Headers,
        url: res.url || req.url,
        text,
        json: parseJson(text),
        attempts: attempt,
      };
    } catch (error) {
      if (req.signal.aborted) throw req.signal.reason;
      if (timeout.aborted) throw new Timeout();
      throw error;
    }
  }

  private classify(error: unknown): Failure {
    if (error instanceof Timeout) {
      return { reason: `timed out after ${this.init.http.timeoutMs} ms`, unsent: false, permanent: false };
    }
    if (error instanceof NetworkError) {
      return { reason: this.init.redact(error.message), unsent: true, permanent: error.permanent };
    }
    const code = errorCode(error);
    const reason = this.init.redact(errorMessage(error));
    switch (code) {
      case 'ECONNREFUSED':
        return { reason: 'connection refused', unsent: true, permanent: false };
      case 'ENOTFOUND':
        return { reason: `host not found (DNS): ${reason}`, unsent: true, permanent: true };
      case 'EAI_AGAIN':
        return { reason: 'DNS lookup failed temporarily', unsent: true, permanent: false };
      case 'UND_ERR_CONNECT_TIMEOUT':
        return { reason: 'connect timed out', unsent: true, permanent: false };
      case 'ECONNRESET':
      case 'EPIPE':
      case 'UND_ERR_SOCKET':
        return { reason: 'connection reset by the server', unsent: false, permanent: false };
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
        return { reason: 'timed out waiting for the server', unsent: false, permanent: false };
    }
    if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|^ERR_SSL_|^ERR_TLS_/.test(code)) {
      return { reason: `TLS/certificate problem: ${reason}`, unsent: true, permanent: true };
    }
    return { reason: code ? `${reason} (${code})` : reason, unsent: false, permanent: false };
  }
}

/** The socket-level code under fetch's "fetch failed" TypeError. */
function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof e.code === 'string') return e.code;
    current = e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  return '';
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
