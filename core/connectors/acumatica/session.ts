/**
 * Session discipline — each Acumatica session occupies one of the licence's API users until it is signed out (or
 * the server times it out, minutes later), and some licences allow one. So:
 * - one sign-in per run and connection: the process shares one session per instance + user + settings between
 *   every node (and every run side by side) that opens it, counted by references (`acquireSession`);
 * - the cookies (or bearer token) go with every request; the sign-in happens on the first request;
 * - the last release signs out, always — after success, failure and cancel (the engine closes every node); the
 *   process-level `openSessions` registry signs out whatever is left when the process ends otherwise;
 * - a 401 on a session that has worked means it expired: one new sign-in, shared by every request waiting, then
 *   the request once more. A session that never worked is not renewed: that is never a login loop;
 * - the licence's API-user limit ("API Login Limit") is retried a few times, spaced `delaySeconds × attempt`, then
 *   reported plainly; afterwards the process does not try that user on that instance again until the wait is over.
 */
import type { RequestInit, Response } from 'undici';
import { ConnectionError, errorMessage } from '../errors.js';
import type { HttpTransport } from '../net/http-factory.js';
import type { Clock } from '../net/limits.js';
import { type OpenSessions, openSessions } from '../open-sessions.js';
import type { Logger } from '../types.js';
import { loginLimitMessage } from './acu-error.js';
import { type RetrySettings, WriteUncertainError, withRetries } from '../net/retry.js';
import { type AcuAuth, type Grant, LoginLimitRefusal, type LoginSend, plainLoginSend } from './auth.js';

export interface LoginPolicy {
  /** Sign-in attempts in all when the API-user limit refuses them (1 = no retry). */
  attempts: number;
  delaySeconds: number;
}

/** The licence's API-user limit: the run stops (exit 3) with the plain message. */
export class LoginLimitError extends ConnectionError {
  constructor(
    message: string,
    readonly retryInMs: number,
  ) {
    super(message);
    this.name = 'LoginLimitError';
  }
}

interface State extends Grant {
  generation: number;
  /** A request succeeded with it: a later 401 means it expired rather than that it never worked. */
  verified: boolean;
}

export interface SessionInit {
  /** Instance root URL (no trailing slash). */
  instance: string;
  /** Instance + user: whose licence slot this is (the cool-down after a refusal is per identity). */
  identity: string;
  http: HttpTransport;
  auth: AcuAuth;
  clock: Clock;
  log: Logger;
  policy: LoginPolicy;
  /** Waits for a place in the requests-per-minute window before a sign-in (it is a request too). */
  pace?: (signal: AbortSignal) => Promise<void>;
  registry?: OpenSessions;
  /** How sign-in requests answered 429/503 are retried (default: not). */
  retry?: RetrySettings;
  random?: () => number;
  redact?: (text: string) => string;
}

/** Until when the process does not sign in again, per identity, after the API-user limit refused it. */
const coolDowns = new Map<string, number>();
/** Every live session by instance, to tell the user how many Ferry itself holds. */
const live = new Set<AcuSession>();

export class AcuSession {
  /** Sign-ins sent (attempts, including refused ones) and sign-outs: for tests and the benchmark. */
  logins = 0;
  logouts = 0;
  relogins = 0;
  private state: State | undefined;
  private pending: Promise<State> | undefined;
  private generation = 0;
  private closed = false;
  private unregister: (() => void) | undefined;

  constructor(readonly init: SessionInit) {}

  get signedIn(): boolean {
    return this.state !== undefined;
  }

  /** Sends one request with the session's credentials, signing in first (or again, once, after an expiry). */
  async send(url: string, init: RequestInit, signal: AbortSignal): Promise<Response> {
    const state = await this.current(signal);
    const response = await this.fetchWith(state, url, init);
    if (response.status !== 401) {
      state.verified = true;
      return response;
    }
    if (!state.verified) return response;
    await response.arrayBuffer().catch(() => undefined);
    const fresh = await this.renew(state, signal);
    const again = await this.fetchWith(fresh, url, init);
    if (again.status !== 401) fresh.verified = true;
    return again;
  }

  /** Signs in now (Test connection); `attempts` overrides the policy. */
  async open(signal: AbortSignal, attempts?: number): Promise<void> {
    await this.current(signal, attempts);
  }

  /** Signs out (waiting for a sign-in under way) and refuses further requests. Never throws. */
  async close(): Promise<void> {
    this.closed = true;
    live.delete(this);
    const state = this.state ?? (await this.pending?.catch(() => undefined));
    this.state = undefined;
    if (state) await this.logout(state);
  }

  private async current(signal: AbortSignal, attempts?: number): Promise<State> {
    if (this.closed) throw new ConnectionError('the Acumatica session was closed (the run has ended)');
    if (this.state) return this.state;
    this.pending ??= this.login(signal, attempts).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** One new sign-in for every request that saw `stale` expire; later ones find it done. */
  private renew(stale: State, signal: AbortSignal): Promise<State> {
    if (this.state && this.state !== stale) return Promise.resolve(this.state);
    if (this.state === stale) {
      this.state = undefined;
      this.relogins++;
      this.init.log.info(`Acumatica: the session of ${this.init.auth.principal} expired; signing in again`);
      // Set synchronously, so every request that saw the expiry waits for this one sign-in.
      this.pending = (async () => {
        // The expired session may still count on the server until it times out: sign it out to free the slot.
        await this.logout(stale);
        return this.login(signal, 1);
      })().finally(() => {
        this.pending = undefined;
      });
    }
    return this.current(signal, 1);
  }

  private async login(signal: AbortSignal, attempts = this.init.policy.attempts): Promise<State> {
    const { clock, identity, policy } = this.init;
    const blocked = (coolDowns.get(identity) ?? 0) - clock.now();
    if (blocked > 0) throw new LoginLimitError(loginLimitMessage(blocked, this.heldByFerry()), blocked);
    for (let attempt = 1; ; attempt++) {
      signal.throwIfAborted();
      await this.init.pace?.(signal);
      this.logins++;
      try {
        const grant = await this.init.auth.login(this.loginSend(signal));
        const state: State = { ...grant, generation: ++this.generation, verified: false };
        if (this.closed) {
          // Closed while signing in: the session must not outlive its run.
          await this.logout(state);
          throw new ConnectionError('the Acumatica session was closed (the run has ended)');
        }
        this.state = state;
        live.add(this);
        this.unregister = (this.init.registry ?? openSessions).add({
          label: `Acumatica ${this.init.instance} (${this.init.auth.principal})`,
          close: () => this.close(),
        });
        return state;
      } catch (error) {
        if (!(error instanceof LoginLimitRefusal)) throw error;
        const wait = policy.delaySeconds * 1000 * attempt;
        if (attempt >= attempts) {
          coolDowns.set(identity, clock.now() + wait);
          throw new LoginLimitError(loginLimitMessage(wait, this.heldByFerry()), wait);
        }
        this.init.log.warn(
          `Acumatica: the licence's API-user limit refused the sign-in of ${this.init.auth.principal} ` +
            `(attempt ${attempt} of ${attempts}); trying again in ${Math.round(wait / 1000)} s`,
        );
        await clock.sleep(wait, signal);
      }
    }
  }

  /**
   * Sign-in requests: 429/503 (the licence's request limits, not its user limit) are waited out like any request;
   * the attempt itself is bounded by the timeout, never by the run's signal (see auth.ts).
   */
  private loginSend(signal: AbortSignal): LoginSend {
    const { http, clock, log } = this.init;
    const retry = this.init.retry ?? { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 };
    const redact = this.init.redact ?? ((text: string) => text);
    const plain = plainLoginSend(http);
    return (url, init) =>
      withRetries({
        where: `${init.method} ${redact(url)}`,
        write: init.method !== 'GET',
        maxAttempts: retry.maxAttempts,
        retry,
        clock,
        random: this.init.random ?? Math.random,
        log,
        signal,
        timeoutMs: http.timeoutMs,
        redact,
        attempt: () => plain(url, init),
      }).catch((error: unknown) => {
        if (error instanceof WriteUncertainError)
          throw new ConnectionError(`signing in to Acumatica: ${error.message}`);
        throw error;
      });
  }

  private heldByFerry(): number {
    return [...live].filter((s) => s !== this && s.init.instance === this.init.instance && s.signedIn).length;
  }

  private fetchWith(state: State, url: string, init: RequestInit): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers as Record<string, string> | undefined) };
    const cookie = state.cookies.header();
    if (cookie) headers.cookie = cookie;
    if (state.bearer) headers.authorization = `Bearer ${state.bearer}`;
    return this.init.http.fetch(url, { ...init, headers }).then((response) => {
      state.cookies.update(response.headers);
      return response;
    });
  }

  /** `POST /entity/auth/logout`: outside the pool and the budget (the licence exempts sign-outs), never the run's signal. */
  private async logout(state: State): Promise<void> {
    this.unregister?.();
    this.unregister = undefined;
    this.logouts++;
    try {
      const response = await this.fetchWith(state, `${this.init.instance}/entity/auth/logout`, {
        method: 'POST',
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(Math.min(this.init.http.timeoutMs, 15_000)),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.status >= 400 && response.status !== 401) {
        this.init.log.warn(`Acumatica: signing out answered HTTP ${response.status}`);
      }
    } catch (error) {
      this.init.log.warn(
        `Acumatica: signing out of ${this.init.instance} failed (${errorMessage(error)}); the server ends the ` +
          'session when it times out',
      );
    }
  }
}

/** Forgets the cool-downs (tests start each case with a fresh process state). */
export function resetLoginCoolDowns(): void {
  coolDowns.clear();
}

interface Shared {
  session: AcuSession;
  refs: number;
  /** Closes what the session owns besides itself (its HTTP transport). */
  dispose: () => Promise<void>;
}

const shared = new Map<string, Shared>();

/**
 * The process's session for `key` (instance, user, settings, secret): created by the first opener, shared by the
 * others; `release` by the last one signs out and disposes of it.
 */
export async function acquireSession(
  key: string,
  create: () => Promise<{ session: AcuSession; dispose: () => Promise<void> }>,
): Promise<{ session: AcuSession; release: () => Promise<void> }> {
  let entry = shared.get(key);
  if (!entry) {
    const made = await create();
    // Another opener may have created it while this one awaited.
    entry = shared.get(key);
    if (entry) await made.dispose();
    else {
      entry = { ...made, refs: 0 };
      shared.set(key, entry);
    }
  }
  entry.refs++;
  const held = entry;
  let released = false;
  return {
    session: held.session,
    release: async () => {
      if (released) return;
      released = true;
      held.refs--;
      if (held.refs > 0) return;
      if (shared.get(key) === held) shared.delete(key);
      await held.session.close();
      await held.dispose();
    },
  };
}
