// Licence restrictions for API users (MYOB Acumatica Integration Development Guide, "License Restrictions for API
// Users"): the maximum number of web services API users (open sessions, sessions.ts), of concurrent API requests and
// of API requests per minute, for the whole instance. Sign-out requests are exempt. How a server behaves past the two
// request limits is not documented in reach (specs README §3: UNCONFIRMED); the emulator queues requests (FIFO) until
// both limits allow them and answers 429 Too Many Requests when the queue is full or a request waited too long.
import { tooManyRequests } from './errors.js';

export interface AcumaticaLimits {
  /** Signed-in sessions (cookie or OAuth) at once; a trial licence allows 2. */
  apiUsers: number;
  /** Requests processed at once. */
  concurrentRequests: number;
  /** Requests started in any sliding 60 seconds. */
  requestsPerMinute: number;
  /** Requests that may wait for the two limits above; one more answers 429. */
  queueSize: number;
  /** A queued request gives up with 429 after this long. */
  queueTimeoutMs: number;
  /** A session unused this long is signed out (ASP.NET session state timeout). */
  sessionTimeoutMs: number;
}

export const DEFAULT_LIMITS: AcumaticaLimits = {
  apiUsers: 2,
  concurrentRequests: 5,
  requestsPerMinute: 600,
  queueSize: 50,
  queueTimeoutMs: 60_000,
  sessionTimeoutMs: 20 * 60_000,
};

export interface LimitStats {
  /** Requests being processed now. */
  inFlight: number;
  /** The most requests processed at once so far. */
  maxInFlight: number;
  /** Requests waiting now. */
  queued: number;
  /** 429 answers sent (queue full or waited too long). */
  throttled: number;
}

const WINDOW_MS = 60_000;

interface Waiter {
  grant: () => void;
  timer: NodeJS.Timeout;
}

export class LicenceLimiter {
  readonly stats: LimitStats = { inFlight: 0, maxInFlight: 0, queued: 0, throttled: 0 };
  private readonly queue: Waiter[] = [];
  /** Start times within the window, oldest first. */
  private readonly starts: number[] = [];
  private wakeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly limits: AcumaticaLimits,
    private readonly now: () => number,
  ) {}

  private roomNow(): boolean {
    const now = this.now();
    while (this.starts.length > 0 && this.starts[0]! <= now - WINDOW_MS) this.starts.shift();
    return this.stats.inFlight < this.limits.concurrentRequests && this.starts.length < this.limits.requestsPerMinute;
  }

  private start(): () => void {
    this.starts.push(this.now());
    this.stats.inFlight++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.stats.inFlight);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.stats.inFlight--;
      this.pump();
    };
  }

  /** Starts queued requests while the limits allow; wakes itself when only the minute window holds them back. */
  pump(): void {
    while (this.queue.length > 0 && this.roomNow()) {
      const next = this.queue.shift()!;
      this.stats.queued--;
      clearTimeout(next.timer);
      next.grant();
    }
    if (this.queue.length > 0 && this.stats.inFlight < this.limits.concurrentRequests && !this.wakeTimer) {
      const wait = Math.max(1, this.starts[0]! + WINDOW_MS - this.now());
      this.wakeTimer = setTimeout(() => {
        this.wakeTimer = undefined;
        this.pump();
      }, wait);
      this.wakeTimer.unref();
    }
  }

  /** Waits for a start under the licence; resolves to the release function, rejects with 429. */
  acquire(): Promise<() => void> {
    if (this.queue.length === 0 && this.roomNow()) return Promise.resolve(this.start());
    if (this.queue.length >= this.limits.queueSize) {
      this.stats.throttled++;
      return Promise.reject(tooManyRequests('The licence limits of API requests are reached and the queue is full.'));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => resolve(this.start()),
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          this.stats.queued--;
          this.stats.throttled++;
          reject(tooManyRequests('The request waited too long for the licence limits of API requests.'));
        }, this.limits.queueTimeoutMs),
      };
      this.queue.push(waiter);
      this.stats.queued++;
      this.pump();
    });
  }

  close(): void {
    clearTimeout(this.wakeTimer);
    for (const waiter of this.queue) clearTimeout(waiter.timer);
    this.queue.length = 0;
    this.stats.queued = 0;
  }
}
