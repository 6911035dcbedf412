/**
 * Client-side request limits a remote system counts per user, app or licence rather than per connection file
 * (Business Central: 5 concurrent and 6,000 per sliding 5 minutes per user; Acumatica: the licence's concurrent
 * requests and requests per minute). Enforced before a request leaves the process so the server never has to say
 * 429; every flow of the process that signs in as the same principal shares one budget (`budgetFor`), like
 * core/engine/concurrency-pools.ts does for connections.
 */
import { Semaphore } from '../../engine/concurrency-pools.js';
import { abortableSleep } from './retry.js';

export interface LimitSettings {
  concurrent: number;
  requests: number;
  windowMs: number;
}

export interface Clock {
  now(): number;
  /** Waits `ms`; rejects with `signal.reason` when it aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export const realClock: Clock = { now: () => Date.now(), sleep: abortableSleep };

/**
 * At most `max` grants in any `windowMs`: a sliding log of the last `max` grant times. Each caller reserves its
 * grant time at once (FIFO by construction) and waits until then; it never fails. A caller cancelled while waiting
 * keeps its reservation, which only makes the window a little more conservative.
 */
export class SlidingWindow {
  private times: number[];
  private next = 0;
  /** Grants in the log (at most `allowed`); `count` is every grant so far. */
  private held = 0;
  private count = 0;
  private allowed: number;

  /** Added to the window (2 %, at least 250 ms): see `reserve`. */
  readonly marginMs: number;

  constructor(
    max: number,
    readonly windowMs: number,
    private readonly clock: Clock,
  ) {
    this.allowed = Math.max(1, max);
    this.times = new Array<number>(this.allowed).fill(0);
    this.marginMs = Math.max(250, windowMs * 0.02);
  }

  /** Grants allowed in any window. */
  get max(): number {
    return this.allowed;
  }

  /**
   * Changes the allowance, keeping the grants already given (a system whose limit depends on the account, learnt
   * after the first requests: Lightspeed's 300 × registers + 50). Grants reserved before keep their times.
   */
  resize(max: number): void {
    const size = Math.max(1, max);
    if (size === this.allowed) return;
    const { held, allowed } = this;
    // The grants in order, oldest first, of which the newest `size` stay.
    const ordered = Array.from({ length: held }, (_, i) => this.times[(this.next - held + i + allowed) % allowed]!);
    const kept = ordered.slice(-size);
    this.times = [...kept, ...new Array<number>(size - kept.length).fill(0)];
    this.held = kept.length;
    this.next = kept.length % size;
    this.allowed = size;
  }

  /** Grants issued so far (for tests and diagnostics). */
  get granted(): number {
    return this.count;
  }

  /** The wait (ms) before the next grant, reserving it; 0 while the window has room. */
  reserve(): number {
    const now = this.clock.now();
    // The grant `max` places back must have left the window before this one may start — by a margin, because the
    // server counts arrivals, not our grants: a request that waited longer on its way (body encoding, a busy event
    // loop, a socket) than the one `max` places later would otherwise land inside the server's window (measured:
    // 22 429s in 1,024 requests at a 6 s window without it, none with it).
    const oldest = this.held >= this.allowed ? this.times[this.next]! + this.windowMs + this.marginMs : now;
    const previous = this.held > 0 ? this.times[(this.next + this.allowed - 1) % this.allowed]! : now;
    const at = Math.max(now, oldest, previous);
    this.times[this.next] = at;
    this.next = (this.next + 1) % this.allowed;
    this.held = Math.min(this.held + 1, this.allowed);
    this.count++;
    return at - now;
  }

  async take(signal: AbortSignal): Promise<void> {
    const wait = this.reserve();
    if (wait > 0) await this.clock.sleep(wait, signal);
  }
}

/** One principal's budget: the concurrency cap and the request window. */
export class RequestBudget {
  readonly slots: Semaphore;
  readonly window: SlidingWindow;

  constructor(
    readonly limits: LimitSettings,
    clock: Clock,
  ) {
    this.slots = new Semaphore(limits.concurrent);
    this.window = new SlidingWindow(limits.requests, limits.windowMs, clock);
  }

  /** A concurrency slot, then a place in the window: hold the release around one HTTP request. */
  async acquire(signal: AbortSignal): Promise<() => void> {
    const release = await this.slots.acquire(signal);
    try {
      await this.window.take(signal);
    } catch (error) {
      release();
      throw error;
    }
    return release;
  }
}

const budgets = new Map<string, RequestBudget>();

/**
 * The process-wide budget of a principal (`identity`: e.g. server + tenant + client id, or base URL + user). Limits
 * are those of the first opener; a later opener with other limits gets a fresh budget (a changed connection file).
 */
export function budgetFor(identity: string, limits: LimitSettings, clock: Clock): RequestBudget {
  const key = `${identity}\u0000${limits.concurrent}/${limits.requests}/${limits.windowMs}`;
  let budget = budgets.get(key);
  if (!budget) {
    budget = new RequestBudget(limits, clock);
    budgets.set(key, budget);
  }
  return budget;
}
