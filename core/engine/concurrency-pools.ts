import type { ConnectorRegistry } from '../connectors/registry.js';
import { type ConnectionFile, DEFAULT_CONCURRENCY, MAX_CONCURRENCY, poolOwner } from '../model/connection.js';

/** Gives a slot back; calling it twice is harmless (a finally after an abort may run it again). */
export type Release = () => void;

/**
 * A counting semaphore with FIFO waiters. The limit may change while slots are held (the connection file was
 * edited between two runs): new acquisitions see the new limit, held slots finish normally.
 */
export class Semaphore {
  private held = 0;
  private readonly waiters: { grant: () => void; reject: (reason: unknown) => void }[] = [];
  /** Highest number of slots held at once: what tests and diagnostics look at. */
  peak = 0;

  constructor(private max: number) {}

  get limit(): number {
    return this.max;
  }

  get inFlight(): number {
    return this.held;
  }

  setLimit(limit: number): void {
    this.max = Math.max(1, limit);
    this.pump();
  }

  acquire(signal?: AbortSignal): Promise<Release> {
    signal?.throwIfAborted();
    if (this.held < this.max && this.waiters.length === 0) return Promise.resolve(this.take());
    return new Promise<Release>((resolve, reject) => {
      const waiter = {
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take());
        },
        reject,
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(waiter);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private take(): Release {
    this.held++;
    this.peak = Math.max(this.peak, this.held);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      this.pump();
    };
  }

  private pump(): void {
    while (this.held < this.max && this.waiters.length > 0) this.waiters.shift()!.grant();
  }
}

/**
 * Every pool of the process, keyed by workspace id + the id of the connection that owns the pool. One registry per
 * process (`processPools`), so flows started side by side by the desktop or `ferry serve` host share the limits.
 */
export class ConcurrencyPools {
  private readonly pools = new Map<string, Semaphore>();

  /** The pool of `owner` in `workspaceId`, created on first use; an existing pool takes the current level. */
  pool(workspaceId: string, ownerId: string, level: number): Semaphore {
    const key = `${workspaceId}\u0000${ownerId}`;
    let pool = this.pools.get(key);
    if (!pool) {
      pool = new Semaphore(level);
      this.pools.set(key, pool);
    } else if (pool.limit !== level) {
      pool.setLimit(level);
    }
    return pool;
  }

  get(workspaceId: string, ownerId: string): Semaphore | undefined {
    return this.pools.get(`${workspaceId}\u0000${ownerId}`);
  }
}

export const processPools = new ConcurrencyPools();

/**
 * The level of the pool `owner` holds: its `concurrency.level`, else the deprecated http `settings.concurrency`
 * (connection files written before pools existed), else its connector's default.
 */
export function concurrencyLevel(owner: ConnectionFile, registry: ConnectorRegistry): number {
  const legacy = owner.settings.concurrency;
  const level =
    owner.concurrency?.level ??
    (typeof legacy === 'number' && Number.isInteger(legacy) ? legacy : undefined) ??
    registry.get(owner.connector)?.descriptor.defaultConcurrency ??
    DEFAULT_CONCURRENCY;
  return Math.min(MAX_CONCURRENCY, Math.max(1, level));
}

/** The pool a connection's requests go through (its own, or its lender's). */
export function poolFor(
  pools: ConcurrencyPools,
  workspaceId: string,
  connection: ConnectionFile,
  connections: ReadonlyMap<string, ConnectionFile>,
  registry: ConnectorRegistry,
): Semaphore {
  const owner = poolOwner(connection, connections);
  return pools.pool(workspaceId, owner.id, concurrencyLevel(owner, registry));
}
