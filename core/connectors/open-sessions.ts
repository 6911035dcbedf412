/**
 * Every remote session the process holds open (an Acumatica login occupies one of the licence's API-user slots
 * until it is signed out or times out on the server). Connectors sign out when their run closes them; this registry
 * is the backstop for a process that ends some other way — SIGTERM, a second Ctrl+C, an event loop that drains
 * with a session still open: the hosts (`ferry run`, `ferry serve`, the desktop engine) call `closeAll` then.
 */

export interface OpenSession {
  /** "Acumatica https://… as admin", for the log. */
  label: string;
  /** Signs out; must not throw and should not take long (it runs while the process exits). */
  close(): Promise<void>;
}

export class OpenSessions {
  private readonly sessions = new Set<OpenSession>();

  /** Registers a session; the returned function removes it again (after a normal sign-out). */
  add(session: OpenSession): () => void {
    this.sessions.add(session);
    return () => {
      this.sessions.delete(session);
    };
  }

  get size(): number {
    return this.sessions.size;
  }

  labels(): string[] {
    return [...this.sessions].map((s) => s.label);
  }

  /** Signs every session out, side by side, waiting at most `timeoutMs`; returns how many there were. */
  async closeAll(timeoutMs = 5000): Promise<number> {
    const all = [...this.sessions];
    this.sessions.clear();
    if (all.length === 0) return 0;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, timeoutMs);
      timer.unref();
    });
    await Promise.race([Promise.all(all.map((s) => s.close().catch(() => undefined))), deadline]);
    clearTimeout(timer);
    return all.length;
  }
}

export const openSessions = new OpenSessions();
