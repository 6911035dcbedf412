/**
 * One Lightspeed request: each attempt holds a slot of the connection's pool and a place in the store's rate budget
 * (limits.ts) while it is on the wire, and carries the bearer token (auth.ts; a refused OAuth token is replaced once,
 * with a place of its own in the budget). 429 — Retry-After is an HTTP date (docs/rate_limiting) — and, for reads,
 * 5xx and network failures are retried with backoff honouring it (core/connectors/net/retry.ts); a write whose fate
 * is unknown is never re-sent blindly. Every answer's `X-RateLimit-Limit` keeps the budget at the store's figure.
 */
import type { RequestInit } from 'undici';
import type { HttpTransport } from '../net/http-factory.js';
import { type JsonResponse, exchangeJson, inSlots } from '../net/json-exchange.js';
import type { Clock } from '../net/limits.js';
import { type RetrySettings, retriedRequest } from '../net/retry.js';
import type { Logger } from '../types.js';
import type { LsAuth } from './auth.js';
import type { StoreBudget } from './limits.js';

export interface LsRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  body?: unknown;
  /** A body sent as it is with its own content type (an image upload's multipart form), instead of `body`. */
  rawBody?: Uint8Array;
  headers?: Record<string, string>;
  signal: AbortSignal;
  /** Overrides the retry setting (the connection test tries once). */
  maxAttempts?: number;
}

export interface TransportInit {
  http: HttpTransport;
  auth: LsAuth;
  budget: StoreBudget;
  retry: RetrySettings;
  clock: Clock;
  random: () => number;
  log: Logger;
  redact: (text: string) => string;
  /** Requests side by side outside the engine (no pool): the connector's default level. */
  defaultParallel: number;
}

export class LsTransport {
  /** Requests sent (every attempt, token renewals' repeats included) and 429 answers received. */
  sent = 0;
  throttled = 0;

  constructor(readonly init: TransportInit) {}

  get warnings(): string[] {
    return this.init.http.warnings;
  }

  /** Requests worth having in flight: the pool's level. */
  get parallel(): number {
    return this.init.http.limit ?? this.init.defaultParallel;
  }

  request(req: LsRequest): Promise<JsonResponse> {
    const { init } = this;
    return retriedRequest(
      init,
      init.http.timeoutMs,
      req,
      (attempt) =>
        inSlots([(s) => init.http.acquire(s), (s) => init.budget.budget.acquire(s)], req.signal, () =>
          exchangeJson((url, options) => this.send(url, options, req.signal), req, init.http.timeoutMs, attempt),
        ),
      {
        onStatus: (status) => {
          if (status === 429) this.throttled++;
        },
      },
    );
  }

  /** Sends with the bearer token; a refused OAuth token that was cached is replaced once. */
  private async send(url: string, options: RequestInit, signal: AbortSignal) {
    const { auth, http, budget } = this.init;
    const fetchedBefore = auth.fetched;
    const token = await auth.bearer();
    const withToken = (value: string): RequestInit => ({
      ...options,
      headers: { ...(options.headers as Record<string, string>), authorization: `Bearer ${value}` },
    });
    this.sent++;
    const response = await http.fetch(url, withToken(token));
    budget.observe(response.headers as unknown as Headers);
    // A token fetched while this request waited, and refused, is final: the application has no access.
    if (response.status !== 401 || !auth.renewable || auth.fetched > fetchedBefore) return response;
    await response.arrayBuffer().catch(() => undefined);
    const fresh = await auth.bearer(token);
    await budget.budget.window.take(signal);
    this.sent++;
    const again = await http.fetch(url, withToken(fresh));
    budget.observe(again.headers as unknown as Headers);
    return again;
  }
}
