import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NodePreview } from '../model/contract.js';
import type { RunStatus, RunSummary } from '../model/run.js';
import { appDataDir } from './app-data.js';

export const RUN_STATE_FILE = 'run-state.sqlite';

export interface OutcomeRow {
  nodeId: string;
  sourceNode: string;
  sourceKey: string;
  status: string;
  targetKey?: string;
  /** Skip/filter reason or error text. */
  message?: string;
  /** JSON of before/after of changed fields. */
  changes?: string;
}

/**
 * Outcomes without a message or changes (plain created/unchanged/filtered) of one node, source and status, stored as
 * one row per page with the keys as a JSON array: the same information at one insert per page instead of per record.
 */
export interface OutcomeGroup {
  nodeId: string;
  sourceNode: string;
  status: string;
  keys: string[];
  /** Parallel to keys; null where the destination reported no key. */
  targetKeys?: (string | null)[];
}

export interface StoredOutcome extends OutcomeRow {
  seq: number;
}

/** What the engine needs of run state; SQLite below, an in-memory database in tests. */
export interface RunStatePort {
  startRun(run: { runId: string; workspaceId: string; flowId: string; dryRun: boolean; startedAt: string }): void;
  recordOutcomes(runId: string, rows: readonly OutcomeRow[], groups?: readonly OutcomeGroup[]): void;
  /** A transactional destination discarded its output: its "created/updated" rows of this run become failures. */
  markDiscarded(runId: string, nodeId: string, message: string): number;
  finishRun(workspaceId: string, summary: RunSummary): void;
  getWatermarks(workspaceId: string, flowId: string): Record<string, string>;
  setWatermark(workspaceId: string, flowId: string, sourceNode: string, value: string, runId: string): void;
  /** The first records into and out of each node, kept for the editor's preview table. */
  savePreviews?(runId: string, previews: Record<string, NodePreview>): void;
}

export interface StoredRun {
  runId: string;
  flowId: string;
  status: RunStatus;
  dryRun: boolean;
  startedAt: string;
  finishedAt?: string;
  summary?: RunSummary;
}

type RunRow = {
  id: string;
  flow_id: string;
  status: RunStatus;
  dry_run: number;
  started_at: string;
  finished_at: string | null;
  summary: string | null;
};
const RUN_COLUMNS = 'SELECT id, flow_id, status, dry_run, started_at, finished_at, summary FROM runs';

function toStoredRun(r: RunRow): StoredRun {
  return {
    runId: r.id,
    flowId: r.flow_id,
    status: r.status,
    dryRun: r.dry_run === 1,
    startedAt: r.started_at,
    finishedAt: r.finished_at ?? undefined,
    summary: r.summary ? (JSON.parse(r.summary) as RunSummary) : undefined,
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  workspace_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  status TEXT NOT NULL,
  dry_run INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  pid INTEGER,
  summary TEXT
);
CREATE INDEX IF NOT EXISTS runs_by_flow ON runs (workspace_id, flow_id, started_at);
CREATE TABLE IF NOT EXISTS record_outcomes (
  run_id TEXT NOT NULL,
  node_id TEXT NOT NULL,
  source_node TEXT NOT NULL,
  source_key TEXT,
  status TEXT NOT NULL,
  target_key TEXT,
  message TEXT,
  changes TEXT,
  -- set on grouped rows (see OutcomeGroup): JSON arrays of source keys and target keys
  group_keys TEXT,
  group_target_keys TEXT
);
CREATE INDEX IF NOT EXISTS outcomes_by_run ON record_outcomes (run_id, status);
-- the first records into and out of each node (JSON of Record<node, NodePreview>), for the editor's preview table
CREATE TABLE IF NOT EXISTS run_previews (
  run_id TEXT PRIMARY KEY,
  previews TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS watermarks (
  workspace_id TEXT NOT NULL,
  flow_id TEXT NOT NULL,
  source_node TEXT NOT NULL,
  value TEXT NOT NULL,
  run_id TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (workspace_id, flow_id, source_node)
);
`;

/** Run state lives in the app-data folder, never in the workspace: workspaces are shared in git, runs are local. */
export class RunStateStore implements RunStatePort {
  private readonly db: Database.Database;
  private readonly insertOutcome: Database.Statement;
  private readonly insertGroup: Database.Statement;
  private readonly insertMany: (runId: string, rows: readonly OutcomeRow[], groups: readonly OutcomeGroup[]) => void;

  constructor(file: string = join(appDataDir(), RUN_STATE_FILE)) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // WAL + NORMAL is durable across process crashes (only an OS crash can lose the last commits).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // better-sqlite3 builds SQLite with a 16 MB page cache; a run appending its history filled all of it (+15 MB
    // peak RSS at 1M rows). Appends need little cache: SQLite's own 2 MB default costs no measurable speed.
    this.db.pragma('cache_size = -2000');
    this.db.exec(SCHEMA);
    this.insertOutcome = this.db.prepare(
      'INSERT INTO record_outcomes (run_id, node_id, source_node, source_key, status, target_key, message, changes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.insertGroup = this.db.prepare(
      'INSERT INTO record_outcomes (run_id, node_id, source_node, status, group_keys, group_target_keys) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertMany = this.db.transaction(
      (runId: string, rows: readonly OutcomeRow[], groups: readonly OutcomeGroup[]) => {
        for (const g of groups) {
          this.insertGroup.run(
            runId,
            g.nodeId,
            g.sourceNode,
            g.status,
            JSON.stringify(g.keys),
            g.targetKeys ? JSON.stringify(g.targetKeys) : null,
          );
        }
        for (const r of rows) {
          this.insertOutcome.run(
            runId,
            r.nodeId,
            r.sourceNode,
            r.sourceKey,
            r.status,
            r.targetKey ?? null,
            r.message ?? null,
            r.changes ?? null,
          );
        }
      },
    );
    this.markInterruptedRuns();
  }

  /** A run still "running" whose process is gone was killed or crashed. */
  private markInterruptedRuns(): void {
    const running = this.db.prepare("SELECT id, pid FROM runs WHERE status = 'running'").all() as {
      id: string;
      pid: number | null;
    }[];
    const mark = this.db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = ?");
    for (const run of running) if (run.pid === null || !isAlive(run.pid)) mark.run(run.id);
  }

  startRun(run: { runId: string; workspaceId: string; flowId: string; dryRun: boolean; startedAt: string }): void {
    this.db
      .prepare(
        "INSERT INTO runs (id, workspace_id, flow_id, status, dry_run, started_at, pid) VALUES (?, ?, ?, 'running', ?, ?, ?)",
      )
      .run(run.runId, run.workspaceId, run.flowId, run.dryRun ? 1 : 0, run.startedAt, process.pid);
  }

  recordOutcomes(runId: string, rows: readonly OutcomeRow[], groups: readonly OutcomeGroup[] = []): void {
    if (rows.length > 0 || groups.length > 0) this.insertMany(runId, rows, groups);
  }

  markDiscarded(runId: string, nodeId: string, message: string): number {
    return this.db
      .prepare(
        "UPDATE record_outcomes SET status = 'failed', message = ? WHERE run_id = ? AND node_id = ? AND status IN ('created', 'updated')",
      )
      .run(message, runId, nodeId).changes;
  }

  finishRun(_workspaceId: string, summary: RunSummary): void {
    this.db
      .prepare('UPDATE runs SET status = ?, finished_at = ?, summary = ? WHERE id = ?')
      .run(summary.status, summary.finishedAt, JSON.stringify(summary), summary.runId);
  }

  getWatermarks(workspaceId: string, flowId: string): Record<string, string> {
    const rows = this.db
      .prepare('SELECT source_node, value FROM watermarks WHERE workspace_id = ? AND flow_id = ?')
      .all(workspaceId, flowId) as { source_node: string; value: string }[];
    return Object.fromEntries(rows.map((r) => [r.source_node, r.value]));
  }

  setWatermark(workspaceId: string, flowId: string, sourceNode: string, value: string, runId: string): void {
    this.db
      .prepare(
        `INSERT INTO watermarks (workspace_id, flow_id, source_node, value, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (workspace_id, flow_id, source_node) DO UPDATE SET value = excluded.value, run_id = excluded.run_id, updated_at = excluded.updated_at`,
      )
      .run(workspaceId, flowId, sourceNode, value, runId, new Date().toISOString());
  }

  clearWatermarks(workspaceId: string, flowId: string): void {
    this.db.prepare('DELETE FROM watermarks WHERE workspace_id = ? AND flow_id = ?').run(workspaceId, flowId);
  }

  listRuns(workspaceId: string, flowId?: string, limit = 20): StoredRun[] {
    const rows = (
      flowId
        ? this.db
            .prepare(`${RUN_COLUMNS} WHERE workspace_id = ? AND flow_id = ? ORDER BY started_at DESC LIMIT ?`)
            .all(workspaceId, flowId, limit)
        : this.db
            .prepare(`${RUN_COLUMNS} WHERE workspace_id = ? ORDER BY started_at DESC LIMIT ?`)
            .all(workspaceId, limit)
    ) as RunRow[];
    return rows.map(toStoredRun);
  }

  getRun(runId: string): StoredRun | undefined {
    const row = this.db.prepare(`${RUN_COLUMNS} WHERE id = ?`).get(runId) as RunRow | undefined;
    return row && toStoredRun(row);
  }

  savePreviews(runId: string, previews: Record<string, NodePreview>): void {
    this.db
      .prepare('INSERT OR REPLACE INTO run_previews (run_id, previews) VALUES (?, ?)')
      .run(runId, JSON.stringify(previews));
  }

  getPreviews(runId: string): Record<string, NodePreview> {
    const row = this.db.prepare('SELECT previews FROM run_previews WHERE run_id = ?').get(runId) as
      { previews: string } | undefined;
    return row ? (JSON.parse(row.previews) as Record<string, NodePreview>) : {};
  }

  /** Per-record outcomes of a run in the order they were settled (grouped rows expanded). */
  runOutcomes(runId: string, options: { status?: string; limit?: number; offset?: number } = {}): StoredOutcome[] {
    const limit = options.limit ?? 1000;
    let skip = options.offset ?? 0;
    const out: StoredOutcome[] = [];
    const rows = this.db
      .prepare(
        `SELECT node_id, source_node, source_key, status, target_key, message, changes, group_keys, group_target_keys
         FROM record_outcomes WHERE run_id = ? AND (? IS NULL OR status = ?) ORDER BY rowid`,
      )
      .iterate(runId, options.status ?? null, options.status ?? null) as IterableIterator<
      Record<string, string | null>
    >;
    let seq = 0;
    for (const r of rows) {
      const keys: string[] = r.group_keys ? (JSON.parse(r.group_keys) as string[]) : [r.source_key ?? ''];
      const targets: (string | null)[] = r.group_target_keys
        ? (JSON.parse(r.group_target_keys) as (string | null)[])
        : [r.target_key ?? null];
      for (let i = 0; i < keys.length; i++) {
        seq++;
        if (skip > 0) {
          skip--;
          continue;
        }
        out.push({
          seq,
          nodeId: r.node_id!,
          sourceNode: r.source_node!,
          sourceKey: keys[i]!,
          status: r.status!,
          targetKey: targets[i] ?? undefined,
          message: r.message ?? undefined,
          changes: r.changes ?? undefined,
        });
        if (out.length >= limit) return out;
      }
    }
    return out;
  }

  /** Keeps the newest `keep` runs of a flow with their record outcomes; history must not grow without bound. */
  prune(workspaceId: string, flowId: string, keep: number): void {
    const old = this.db
      .prepare('SELECT id FROM runs WHERE workspace_id = ? AND flow_id = ? ORDER BY started_at DESC LIMIT -1 OFFSET ?')
      .all(workspaceId, flowId, keep) as { id: string }[];
    const delRecords = this.db.prepare('DELETE FROM record_outcomes WHERE run_id = ?');
    const delRun = this.db.prepare('DELETE FROM runs WHERE id = ?');
    const delPreviews = this.db.prepare('DELETE FROM run_previews WHERE run_id = ?');
    this.db.transaction(() => {
      for (const { id } of old) {
        delRecords.run(id);
        delPreviews.run(id);
        delRun.run(id);
      }
    })();
  }

  close(): void {
    this.db.close();
  }
}
