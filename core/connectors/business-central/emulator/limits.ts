// BC online's per-user limits (operational-limits-online.md): 5 requests processed at once, more wait in a queue
// (95 places, a queued request gives up after 8 minutes with 503), a full queue answers 429, and at most 6,000
// requests per sliding 5-minute window (429 with Retry-After).
import { BcError } from './errors.js';

export interface BcLimits {
  concurrentRequests: number;
  queueSize: number;
  queueTimeoutMs: number;
  requestsPerWindow: number;
  windowMs: number;
}

export const DEFAULT_LIMITS: BcLimits = {
  concurrentRequests: 5,
  queueSize: 95,
  queueTimeoutMs: 8 * 60_000,
  requestsPerWindow: 6000,
  windowMs: 5 * 60_000,
};

export interface LimitStats {
  /** Requests being processed now, over all users. */
  inFlight: number;
  /** The most requests one user had in processing at once. */
  maxInFlight: number;
  /** Requests waiting for a slot now. */
  queued: number;
  /** 429 answers sent (queue full or rate window exceeded). */
  throttled: number;
  /** 503 answers sent for requests that waited too long in the queue. */
  queueTimeouts: number;
}

interface UserState {
  inFlight: number;
  queue: Array<{ grant: () => void; timer: NodeJS.Timeout }>;
  /** Arrival times within the window, oldest first. */
  hits: number[];
}

// The texts are the emulator's; BC's documentation names the status codes, not the bodies.
const tooMany = (message: string, retryAfter?: number) =>
  new BcError(429, 'Application_TooManyRequests', message, retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) }); // prettier-ignore

export class UserLimiter {
  readonly stats: LimitStats = { inFlight: 0, maxInFlight: 0, queued: 0, throttled: 0, queueTimeouts: 0 };
  private readonly users = new Map<string, UserState>();

  constructor(
    private readonly limits: BcLimits,
    private readonly now: () => number,
  ) {}

  private state(user: string): UserState {
    let state = this.users.get(user);
    if (!state) {
      state = { inFlight: 0, queue: [], hits: [] };
      this.users.set(user, state);
    }
    return state;
  }

  private start(state: UserState): () => void {
    state.inFlight++;
    this.stats.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, state.inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      state.inFlight--;
      this.stats.inFlight--;
      const next = state.queue.shift();
      if (next) {
        this.stats.queued--;
        clearTimeout(next.timer);
        next.grant();
      }
    };
  }

  /** Waits for a processing slot of `user`; resolves to the release function. Throws 429/503 as BC does. */
  acquire(user: string): Promise<() => void> {
    const state = this.state(user);
    const now = this.now();
    while (state.hits.length > 0 && state.hits[0]! <= now - this.limits.windowMs) state.hits.shift();
    if (state.hits.length >= this.limits.requestsPerWindow) {
      this.stats.throttled++;
      const retryAfter = Math.max(1, Math.ceil((state.hits[0]! + this.limits.windowMs - now) / 1000));
      return Promise.reject(tooMany(`Rate limit exceeded: more than ${this.limits.requestsPerWindow} requests in ${this.limits.windowMs / 1000} seconds.`, retryAfter)); // prettier-ignore
    }
    state.hits.push(now);
    if (state.inFlight < this.limits.concurrentRequests) return Promise.resolve(this.start(state));
    if (state.queue.length >= this.limits.queueSize) {
      this.stats.throttled++;
      return Promise.reject(tooMany(`Too many concurrent requests: ${this.limits.concurrentRequests} are processed and ${this.limits.queueSize} wait.`, 1)); // prettier-ignore
    }
    return new Promise((resolve, reject) => {
      const entry = {
        grant: () => resolve(this.start(state)),
        timer: setTimeout(() => {
          state.queue.splice(state.queue.indexOf(entry), 1);
          this.stats.queued--;
          this.stats.queueTimeouts++;
          reject(new BcError(503, 'Unavailable', 'The request waited too long in the queue of concurrent requests.', { 'Retry-After': '1' })); // prettier-ignore
        }, this.limits.queueTimeoutMs),
      };
      state.queue.push(entry);
      this.stats.queued++;
    });
  }

  /** Ends all waiting (server closing). */
  close(): void {
    for (const state of this.users.values()) {
      for (const entry of state.queue) clearTimeout(entry.timer);
      state.queue.length = 0;
    }
    this.stats.queued = 0;
  }
}
