import { ApiError, type RunDetail } from '../model/contract.js';
import type { RecordFailure } from '../model/run.js';
import type { RunStateStore } from '../store/run-state.js';

/** How many failed records the run panel lists; the full list stays in the run history. */
export const FAILURES_SHOWN = 200;

export function runDetail(runState: RunStateStore, runId: string): RunDetail {
  const run = runState.getRun(runId);
  if (!run) throw new ApiError({ code: 'not-found', message: `no run "${runId}" in the run history` });
  const failures: RecordFailure[] = runState
    .runOutcomes(runId, { status: 'failed', limit: FAILURES_SHOWN })
    .map((o) => ({ node: o.nodeId, sourceNode: o.sourceNode, key: o.sourceKey, error: o.message ?? '' }));
  return {
    ...run,
    // Without run history (recordHistory off for failures) the summary still carries the first failures.
    failures: failures.length ? failures : (run.summary?.failures ?? []),
    previews: runState.getPreviews(runId),
  };
}
