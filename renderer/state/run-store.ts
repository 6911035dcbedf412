import { create } from 'zustand';
import type { RunDetail } from '../../core/model/contract.js';
import type { NodeStats, RecordFailure, RunEvent, RunSummary } from '../../core/model/run.js';

export type RunPhase = 'idle' | 'starting' | 'running' | 'finished';

export interface RunState {
  phase: RunPhase;
  runId: string | null;
  flowId: string | null;
  dryRun: boolean;
  elapsedMs: number;
  nodes: Record<string, NodeStats>;
  /** Failures as they happen (the summary keeps the first ones; the history all). */
  liveFailures: RecordFailure[];
  /** Warnings as the run reports them (each once); the summary keeps them too. */
  warnings: string[];
  summary: RunSummary | null;
  /** The finished run with node previews, fetched after run-finished (or from history). */
  detail: RunDetail | null;
  /** Node previews as the run reported them (before its detail is fetched). */
  previews: RunDetail['previews'] | null;
  error: string | null;
  starting(flowId: string, dryRun: boolean): void;
  started(runId: string): void;
  failedToStart(message: string): void;
  apply(event: RunEvent): void;
  setDetail(detail: RunDetail | null): void;
  reset(): void;
}

const LIVE_FAILURES_KEPT = 200;

const idle = {
  phase: 'idle' as RunPhase,
  runId: null,
  flowId: null,
  dryRun: false,
  elapsedMs: 0,
  nodes: {},
  liveFailures: [],
  warnings: [],
  summary: null,
  detail: null,
  previews: null,
  error: null,
};

/** Run state lives apart from the flow, so a progress tick never re-renders the canvas model or the settings. */
export const useRunStore = create<RunState>()((set, get) => ({
  ...idle,
  starting: (flowId, dryRun) => set({ ...idle, phase: 'starting', flowId, dryRun }),
  started: (runId) => set({ runId, phase: get().phase === 'finished' ? 'finished' : 'running' }),
  failedToStart: (message) => set({ phase: 'idle', error: message }),
  apply: (event) => {
    const { runId, phase } = get();
    // Events of another window's run (or an earlier run) are not this panel's business.
    if (runId !== null && event.runId !== runId) return;
    if (runId === null && phase !== 'starting') return;
    switch (event.type) {
      case 'run-started':
        return set({ runId: event.runId, phase: 'running', dryRun: event.dryRun });
      case 'progress':
        return set({ nodes: event.nodes, elapsedMs: event.elapsedMs });
      case 'record-failed':
        return set({ liveFailures: [...get().liveFailures, event.failure].slice(0, LIVE_FAILURES_KEPT) });
      case 'run-warning':
        return set({ warnings: [...get().warnings, event.message] });
      case 'node-previews':
        return set({ previews: event.previews });
      case 'run-finished':
        return set({
          runId: event.runId,
          phase: 'finished',
          summary: event.summary,
          nodes: event.summary.nodes,
          elapsedMs: event.summary.durationMs,
        });
    }
  },
  setDetail: (detail) =>
    set(
      detail
        ? {
            detail,
            previews: detail.previews,
            summary: detail.summary ?? get().summary,
            // The last run's per-node counts stay on the canvas, also after reopening the flow.
            nodes: detail.summary?.nodes ?? get().nodes,
            runId: detail.runId,
            flowId: detail.flowId,
            phase: 'finished',
          }
        : { detail: null, previews: null },
    ),
  reset: () => set({ ...idle }),
}));
