import { type NodeStats, type OutcomeCounts, type RecordFailure, emptyCounts } from '../model/run.js';
import type { OutcomeGroup, OutcomeRow, RunStatePort } from '../store/run-state.js';
import type { Lineage, Outcome } from './record.js';

export type RecordHistory = 'all' | 'changes' | 'failures';
const MAX_FAILURES_IN_SUMMARY = 100;
const MAX_FAILURE_EVENTS = 1000;

function keepInHistory(policy: RecordHistory, status: Outcome['status']): boolean {
  if (policy === 'all') return true;
  if (status === 'failed') return true;
  return policy === 'changes' && (status === 'created' || status === 'updated' || status === 'skipped');
}

interface MutableStats {
  in: number;
  out: number;
  failed: number;
  /** Records sent out per output port, for nodes that have more than one (a lookup's found and notFound). */
  ports?: Record<string, number>;
}

/** Counts records leaving a node by one of its outputs (the canvas labels each edge with its own port's count). */
export function countPort(stats: MutableStats, port: string, count: number): void {
  stats.ports ??= {};
  stats.ports[port] = (stats.ports[port] ?? 0) + count;
}

/**
 * Counts every outcome, keeps the run history rows (flushed to SQLite in one transaction per page) and the first
 * failures for the summary. A failed record is always counted, kept in history and reported: never dropped.
 */
export class RunRecorder {
  readonly counts: OutcomeCounts = emptyCounts();
  readonly failures: RecordFailure[] = [];
  /** created/updated per destination node, to undo when a transactional destination discards its output. */
  readonly writtenByNode = new Map<string, { created: number; updated: number }>();
  private readonly stats = new Map<string, MutableStats>();
  private rows: OutcomeRow[] = [];
  private groups = new Map<string, OutcomeGroup>();
  private lastGroup: OutcomeGroup | undefined;
  private failureEvents = 0;

  constructor(
    private readonly runId: string,
    private readonly history: RecordHistory,
    private readonly store: RunStatePort | undefined,
    private readonly onFailure: (failure: RecordFailure) => void,
  ) {}

  node(id: string): MutableStats {
    let s = this.stats.get(id);
    if (!s) {
      s = { in: 0, out: 0, failed: 0 };
      this.stats.set(id, s);
    }
    return s;
  }

  settle(nodeId: string, lineage: Lineage, outcome: Outcome): void {
    this.counts[outcome.status]++;
    if (outcome.status === 'created' || outcome.status === 'updated') {
      let w = this.writtenByNode.get(nodeId);
      if (!w) this.writtenByNode.set(nodeId, (w = { created: 0, updated: 0 }));
      w[outcome.status]++;
    }
    if (outcome.status === 'failed') {
      this.node(nodeId).failed++;
      const failure = { node: nodeId, sourceNode: lineage.node, key: lineage.key, error: outcome.error };
      if (this.failures.length < MAX_FAILURES_IN_SUMMARY) this.failures.push(failure);
      if (this.failureEvents++ < MAX_FAILURE_EVENTS) this.onFailure(failure);
    }
    if (this.store && keepInHistory(this.history, outcome.status)) {
      const targetKey = 'targetKey' in outcome ? outcome.targetKey : undefined;
      const message = outcome.status === 'failed' ? outcome.error : 'reason' in outcome ? outcome.reason : undefined;
      const changes = outcome.status === 'updated' && outcome.changes ? JSON.stringify(outcome.changes) : undefined;
      if (message === undefined && changes === undefined) {
        // Hot path (one call per record): consecutive outcomes almost always share node, source and status.
        let group = this.lastGroup;
        if (!group || group.nodeId !== nodeId || group.sourceNode !== lineage.node || group.status !== outcome.status) {
          const id = `${nodeId}\u0000${lineage.node}\u0000${outcome.status}`;
          group = this.groups.get(id);
          if (!group)
            this.groups.set(id, (group = { nodeId, sourceNode: lineage.node, status: outcome.status, keys: [] }));
          this.lastGroup = group;
        }
        if (targetKey !== undefined) {
          (group.targetKeys ??= new Array<string | null>(group.keys.length).fill(null)).push(targetKey);
        } else if (group.targetKeys) group.targetKeys.push(null);
        group.keys.push(lineage.key);
      } else {
        this.rows.push({
          nodeId,
          sourceNode: lineage.node,
          sourceKey: lineage.key,
          status: outcome.status,
          targetKey,
          message,
          changes,
        });
      }
    }
  }

  /** Output discarded by a transactional destination: what it "wrote" becomes failed. */
  discard(nodeId: string, message: string): void {
    const w = this.writtenByNode.get(nodeId);
    const written = w ? w.created + w.updated : 0;
    if (!w || written === 0) return;
    this.flush();
    this.store?.markDiscarded(this.runId, nodeId, message);
    this.counts.created -= w.created;
    this.counts.updated -= w.updated;
    this.counts.failed += written;
    this.node(nodeId).failed += written;
    this.writtenByNode.delete(nodeId);
    if (this.failures.length < MAX_FAILURES_IN_SUMMARY) {
      this.failures.push({ node: nodeId, sourceNode: '*', key: `${written} records`, error: message });
    }
  }

  flush(): void {
    if (this.rows.length === 0 && this.groups.size === 0) return;
    const rows = this.rows;
    const groups = [...this.groups.values()];
    this.rows = [];
    this.groups = new Map();
    this.lastGroup = undefined;
    this.store?.recordOutcomes(this.runId, rows, groups);
  }

  nodeStats(elapsedMs: number): Record<string, NodeStats> {
    const seconds = Math.max(elapsedMs / 1000, 0.001);
    const out: Record<string, NodeStats> = {};
    for (const [id, s] of this.stats)
      out[id] = {
        in: s.in,
        out: s.out,
        failed: s.failed,
        rate: Math.round(s.in / seconds),
        ...(s.ports ? { ports: { ...s.ports } } : {}),
      };
    return out;
  }
}
