/**
 * The retry rules an ERP client needs, shared by the connectors that talk to one (Business Central, Acumatica):
 * reads are retried on 408/429/5xx, timeouts and resets; writes only when the server said it did not process them
 * (429/503) or the request never left (refused, DNS, connect timeout). Backoff is exponential with full jitter, or
 * what Retry-After says (seconds or an HTTP date). A write whose fate is unknown (timed out or reset after it was
 * sent, 502/504/408) is never sent again blindly: it ends in `WriteUncertainError`, so the caller can check first.
 */
import { z } from 'zod';
import { ConnectionError, errorMessage } from '../errors.js';
import type { Logger } from '../types.js';
import { NetworkError } from './http-factory.js';
import type { Clock } from './limits.js';

export interface RetrySettings {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The `retry` object of a connection's settings, with the connector's default number of attempts. */
export function retrySettingsSchema(defaultAttempts: number) {
  return z
    .object({
      maxAttempts: z.number().int().min(1).max(20).default(defaultAttempts),
      baseDelayMs: z.number().int().min(0).default(1000),
      maxDelayMs: z.number().int().min(0).default(60_000),
    })
    .optional();
}

/** The request may or may not have been applied: check before sending it again. */
export class WriteUncertainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WriteUncertainError';
  }
}

/** Thrown by an attempt whose own timeout (not the run's signal) ended it. */
export class RequestTimeout extends Error {}

/** Statuses after which a read is tried again; a write only after those saying it was not processed. */
export const READ_RETRY: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);
export const WRITE_RETRY: ReadonlySet<number> = new Set([429, 503]);
/** A write answered so may have been applied by the server before the gateway gave up. */
export const WRITE_UNCERTAIN: ReadonlySet<number> = new Set([408, 502, 504]);

export interface Failure {
  reason: string;
  /** The request never reached the server (refused, DNS, connect timeout): safe to send again, even a write. */
  unsent: boolean;
  permanent: boolean;
}

/** Retry-After when given (capped at maxDelayMs), else full-jitter exponential backoff. */
export function backoffDelay(
  attempt: number,
  retryAfter: string | null,
  retry: RetrySettings,
  now: number,
  random: () => number,
): number {
  const hinted = parseRetryAfter(retryAfter, now);
  if (hinted !== undefined) return Math.min(hinted, retry.maxDelayMs);
  return Math.floor(random() * Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1)));
}

/** What a failed attempt means: whether it reached the server and whether trying again can help. */
export function classifyFailure(error: unknown, timeoutMs: number, redact: (text: string) => string): Failure {
  if (error instanceof RequestTimeout) {
    return { reason: `timed out after ${timeoutMs} ms`, unsent: false, permanent: false };
  }
  if (error instanceof NetworkError) {
    return { reason: redact(error.message), unsent: true, permanent: error.permanent };
  }
  const code = errorCode(error);
  const reason = redact(errorMessage(error));
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

/** The socket-level code under fetch's "fetch failed" TypeError. */
export function errorCode(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const e = current as { code?: unknown; cause?: unknown; errors?: unknown[] };
    if (typeof e.code === 'string') return e.code;
    current = e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  return '';
}

/** A body as JSON, or undefined when it is empty or not JSON (an HTML error page). */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface RetryLoop<R extends { status: number; headers: Headers }> {
  /** "GET https://…" for messages (already redacted). */
  where: string;
  write: boolean;
  maxAttempts: number;
  retry: RetrySettings;
  clock: Clock;
  random: () => number;
  log: Logger;
  signal: AbortSignal;
  timeoutMs: number;
  redact: (text: string) => string;
  /** One attempt; the caller holds its pool and budget slots inside it, never across a backoff. */
  attempt(n: number): Promise<R>;
  /** An error that ends the request at once in other words (e.g. NTLM failures), or undefined. */
  fatal?(error: unknown): Error | undefined;
  onStatus?(status: number): void;
}

/** What a connector's transport holds for its retry loops (its init object has these fields). */
export interface RetryPolicy {
  retry: RetrySettings;
  clock: Clock;
  random: () => number;
  log: Logger;
  redact: (text: string) => string;
}

/**
 * The retry loop of one HTTP request: its method decides the write rules, and `req.maxAttempts` (a connection test
 * tries once) overrides the setting.
 */
export function retriedRequest<R extends { status: number; headers: Headers }>(
  policy: RetryPolicy,
  timeoutMs: number,
  req: { method: string; url: string; signal: AbortSignal; maxAttempts?: number },
  attempt: (n: number) => Promise<R>,
  hooks: Pick<RetryLoop<R>, 'fatal' | 'onStatus'> = {},
): Promise<R> {
  return withRetries({
    where: `${req.method} ${policy.redact(req.url)}`,
    write: req.method !== 'GET',
    maxAttempts: req.maxAttempts ?? policy.retry.maxAttempts,
    retry: policy.retry,
    clock: policy.clock,
    random: policy.random,
    log: policy.log,
    signal: req.signal,
    timeoutMs,
    redact: policy.redact,
    attempt,
    ...hooks,
  });
}

/**
 * Runs `attempt` until an answer that is not retried, or the attempts are used up (then the last answer, or a
 * ConnectionError naming the network failure). Throws WriteUncertainError for a write whose fate is unknown.
 */
export async function withRetries<R extends { status: number; headers: Headers }>(loop: RetryLoop<R>): Promise<R> {
  const maxAttempts = Math.max(1, loop.maxAttempts);
  for (let attempt = 1; ; attempt++) {
    loop.signal.throwIfAborted();
    let response: R | undefined;
    let failure: Failure | undefined;
    try {
      response = await loop.attempt(attempt);
    } catch (error) {
      if (loop.signal.aborted) throw loop.signal.reason;
      const fatal = loop.fatal?.(error);
      if (fatal) throw fatal;
      if (error instanceof ConnectionError) throw error;
      failure = classifyFailure(error, loop.timeoutMs, loop.redact);
      if (failure.permanent) throw new ConnectionError(`cannot reach ${loop.where}: ${failure.reason}`);
      if (loop.write && !failure.unsent) throw new WriteUncertainError(`${loop.where}: ${failure.reason}`);
    }
    if (response) {
      loop.onStatus?.(response.status);
      if (loop.write && WRITE_UNCERTAIN.has(response.status)) {
        throw new WriteUncertainError(`${loop.where}: HTTP ${response.status} (the server may have applied it)`);
      }
      if (!(loop.write ? WRITE_RETRY : READ_RETRY).has(response.status)) return response;
    }
    if (attempt >= maxAttempts) {
      if (response) return response;
      throw new ConnectionError(`cannot reach ${loop.where}: ${failure!.reason} (${maxAttempts} attempts)`);
    }
    const retryAfter = response?.headers.get('retry-after') ?? null;
    const delay = backoffDelay(attempt, retryAfter, loop.retry, loop.clock.now(), loop.random);
    const why = response ? `HTTP ${response.status}` : failure!.reason;
    loop.log.warn(`${loop.where}: ${why}; retrying in ${delay} ms (attempt ${attempt + 1} of ${maxAttempts})`);
    await loop.clock.sleep(delay, loop.signal);
  }
}

/** Delta-seconds or an HTTP-date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** setTimeout that rejects with the abort reason at once when the run is cancelled. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
