/**
 * One Business Central request with the rules BC asks of a client: each attempt holds a slot of the connection's
 * pool and of the principal's budget (5 concurrent, 6,000 per sliding 5 minutes), 429/503 (and for reads 5xx,
 * timeouts and resets) are retried with exponential backoff and full jitter honouring Retry-After (seconds or an
 * HTTP date), and a write whose fate is unknown (timed out or reset after it was sent, 502/504/408) is never sent
 * again blindly: it ends in `WriteUncertainError`, and the caller checks whether the record exists first.
 */
import { ConnectionError } from '../errors.js';
import type { HttpTransport } from '../net/http-factory.js';
import { type JsonResponse, exchangeJson, inSlots } from '../net/json-exchange.js';
import { type RetrySettings, WriteUncertainError, backoffDelay, retriedRequest } from '../net/retry.js';
import { NtlmError } from '../net/ntlm.js';
import type { Logger } from '../types.js';
import type { BcAuth } from './auth.js';
import type { BcBudget, Clock } from './limits.js';

export { type RetrySettings, WriteUncertainError };

export interface BcRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** Overrides the retry setting (the connection test tries once). */
  maxAttempts?: number;
  /** A media stream: the answer's bytes in `bytes` (pictureContent). */
  binary?: boolean;
}

export type BcResponse = JsonResponse;

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
    return retriedRequest(this.init, this.init.http.timeoutMs, req, (attempt) => this.once(req, attempt), {
      fatal: (error) =>
        error instanceof NtlmError
          ? new ConnectionError(`Windows authentication (NTLM) failed: ${error.message}`)
          : undefined,
      onStatus: (status) => {
        if (status === 429) this.throttled++;
      },
    });
  }

  /** Retry-After when given (capped at maxDelayMs), else full-jitter exponential backoff. */
  backoff(attempt: number, retryAfter: string | null): number {
    return backoffDelay(attempt, retryAfter, this.init.retry, this.init.clock.now(), this.init.random);
  }

  /** The wait between two rounds of a `$batch` whose operations BC answered 429/503 (not processed). */
  async pause(round: number, signal: AbortSignal): Promise<void> {
    this.throttled++;
    await this.init.clock.sleep(this.backoff(round, null), signal);
  }

  /** One attempt inside a pool slot and a budget slot, both given back before any backoff. */
  private once(req: BcRequest, attempt: number): Promise<BcResponse> {
    return inSlots([(s) => this.init.http.acquire(s), (s) => this.init.budget.acquire(s)], req.signal, () => {
      this.sent++;
      return exchangeJson(
        (url, init) => this.init.auth.send(url, init, req.signal),
        req,
        this.init.http.timeoutMs,
        attempt,
      );
    });
  }
}
