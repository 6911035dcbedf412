/**
 * Lightspeed's rate limit, kept before a request leaves (docs/rate_limiting): per retailer and application,
 * `300 × registers + 50` requests in any 5 minutes. Every flow of the process that talks to one store as one
 * application shares the budget (`budgetFor`). Until the store's registers are known the budget allows what a store
 * with one register gets (the least any store has); the registers read at the first connect, and the
 * `X-RateLimit-Limit` header of every answer, set it to the store's own figure.
 */
import { MAX_CONCURRENCY } from '../../model/connection.js';
import { type Clock, type RequestBudget, budgetFor } from '../net/limits.js';
import { LS_RATE_LIMIT, type LsConnectionSettings } from './descriptor.js';

export interface StoreBudget {
  budget: RequestBudget;
  /** The allowance for a store with `registers` registers. */
  setRegisters(registers: number): void;
  /** Adopts the limit an answer states (`X-RateLimit-Limit`), the server's own count. */
  observe(headers: Headers): void;
  /** Whether the registers have been counted in this process (one read per store and application). */
  readonly registersKnown: boolean;
}

const known = new Set<string>();

export function storeBudget(identity: string, settings: LsConnectionSettings, clock: Clock): StoreBudget {
  const limits = { ...LS_RATE_LIMIT, ...settings.rateLimit };
  const allowance = (registers: number) => limits.perRegister * Math.max(1, registers) + limits.base;
  const windowMs = limits.windowSeconds * 1000;
  const key = `${identity}|${limits.perRegister}/${limits.base}`;
  // Lightspeed counts requests, not connections: concurrency is the pool's business, not the budget's.
  const budget = budgetFor(key, { concurrent: MAX_CONCURRENCY, requests: allowance(1), windowMs }, clock);
  return {
    budget,
    setRegisters(registers) {
      known.add(key);
      budget.window.resize(allowance(registers));
    },
    observe(headers) {
      const stated = Number(headers.get('x-ratelimit-limit'));
      if (Number.isInteger(stated) && stated > 0 && stated !== budget.window.max) budget.window.resize(stated);
    },
    get registersKnown() {
      return known.has(key);
    },
  };
}
