/**
 * One Acumatica request: each attempt holds a slot of the connection's concurrency pool (its level is the
 * licence's concurrent-request allowance this connection may use) and a place in the requests-per-minute window of
 * the user (shared by every flow of the process), and goes out through the session (cookies, one re-login on
 * expiry). 429 — the licence's request limits — and, for reads, 5xx and network failures are retried with backoff
 * honouring Retry-After (core/connectors/net/retry.ts); a write whose fate is unknown is never re-sent blindly.
 */
import { type JsonResponse, exchangeJson, inSlots } from '../net/json-exchange.js';
import type { Clock, RequestBudget } from '../net/limits.js';
import { type RetrySettings, retriedRequest } from '../net/retry.js';
import type { Logger } from '../types.js';
import type { AcuSession } from './session.js';

export interface AcuRequest {
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** Overrides the retry setting (the connection test tries once). */
  maxAttempts?: number;
}

export interface TransportInit {
  session: AcuSession;
  /** A slot of the connection's pool (ctx.acquire); absent outside the engine. */
  acquire?: (signal: AbortSignal) => Promise<() => void>;
  /** The pool's level; absent outside the engine. */
  limit?: number;
  /** The user's requests-per-minute windows, when the connection sets a budget (connect.ts). */
  budgets?: readonly RequestBudget[];
  timeoutMs: number;
  retry: RetrySettings;
  clock: Clock;
  random: () => number;
  log: Logger;
  redact: (text: string) => string;
  /** Requests side by side outside the engine (no pool): the connector's default level. */
  defaultParallel: number;
}

export class AcuTransport {
  /** Requests sent (every attempt) and 429 answers received, for tests and the benchmark. */
  sent = 0;
  throttled = 0;

  constructor(readonly init: TransportInit) {}

  get session(): AcuSession {
    return this.init.session;
  }

  /** Requests worth having in flight: the pool's level. */
  get parallel(): number {
    return this.init.limit ?? this.init.defaultParallel;
  }

  request(req: AcuRequest): Promise<JsonResponse> {
    const { init } = this;
    const slots = [
      ...(init.acquire ? [init.acquire] : []),
      ...(init.budgets ?? []).map((budget) => (signal: AbortSignal) => budget.acquire(signal)),
    ];
    // A GET (and the polling of an action) may be repeated; PUT and POST follow the write rules.
    return retriedRequest(
      init,
      init.timeoutMs,
      req,
      (attempt) =>
        inSlots(slots, req.signal, () => {
          this.sent++;
          const send = (url: string, options: Parameters<AcuSession['send']>[1]) =>
            init.session.send(url, options, req.signal);
          return exchangeJson(send, req, init.timeoutMs, attempt);
        }),
      {
        onStatus: (status) => {
          if (status === 429) this.throttled++;
        },
      },
    );
  }
}
