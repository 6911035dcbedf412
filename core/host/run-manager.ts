import { randomUUID } from 'node:crypto';
import { deltaValueKind } from '../connectors/delta.js';
import { type RunContext, runFlow } from '../engine/run-flow.js';
import { validateFlow } from '../engine/validate-flow.js';
import { ApiError, type ApiEvent, PREVIEW_LIMIT } from '../model/contract.js';
import type { Flow } from '../model/flow.js';
import type { RunSummary } from '../model/run.js';
import { flowFile } from '../store/workspace-store.js';

interface ActiveRun {
  flowId: string;
  controller: AbortController;
  done: Promise<RunSummary | undefined>;
}

/** Runs started from the UI: one at a time per flow, each cancellable, every engine event forwarded to the UI. */
export class RunManager {
  private readonly active = new Map<string, ActiveRun>();

  constructor(private readonly emit: (event: ApiEvent) => void) {}

  start(flow: Flow, ctx: RunContext, options: { dryRun: boolean; since?: string }): string {
    if (options.since !== undefined && deltaValueKind(options.since) === 'other') {
      throw new ApiError({
        code: 'invalid-input',
        message: `since: expected an ISO date or date-time (e.g. 2026-01-31T00:00:00Z) or a number, got "${options.since}"`,
      });
    }
    for (const run of this.active.values()) {
      if (run.flowId === flow.id)
        throw new ApiError({ code: 'conflict', message: `flow "${flow.name}" is already running` });
    }
    const problems = validateFlow(flow, {
      registry: ctx.registry,
      connections: ctx.workspace.connections,
      valueMaps: ctx.workspace.valueMaps,
      file: flowFile(flow.id),
    });
    if (problems.length) {
      throw new ApiError({
        code: 'invalid-input',
        message: `flow "${flow.name}" cannot run: ${problems.length} problem(s)`,
        problems,
      });
    }
    const runId = randomUUID();
    const controller = new AbortController();
    const done = runFlow(flow, ctx, {
      runId,
      dryRun: options.dryRun,
      since: options.since,
      signal: controller.signal,
      previewLimit: PREVIEW_LIMIT,
      onEvent: (event) => this.emit({ type: 'run', event }),
    })
      .catch((error: unknown) => {
        ctx.log?.warn(`run ${runId} of ${flow.id} ended with ${String(error)}`);
        return undefined;
      })
      .finally(() => this.active.delete(runId));
    this.active.set(runId, { flowId: flow.id, controller, done });
    return runId;
  }

  cancel(runId: string): boolean {
    const run = this.active.get(runId);
    if (!run) return false;
    run.controller.abort(new Error('cancelled by the user'));
    return true;
  }

  isRunning(runId: string): boolean {
    return this.active.has(runId);
  }

  /** Cancels every run and waits until each has settled (closing a workspace, shutting a host down). */
  async stopAll(): Promise<void> {
    const runs = [...this.active.values()];
    for (const run of runs) run.controller.abort(new Error('Ferry is closing'));
    await Promise.all(runs.map((r) => r.done));
  }

  /** Resolves when the run has settled (tests, CLI). */
  async settled(runId: string): Promise<RunSummary | undefined> {
    return this.active.get(runId)?.done;
  }
}
