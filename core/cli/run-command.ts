import { join, resolve } from 'node:path';
import { deltaValueKind } from '../connectors/delta.js';
import { defaultRegistry } from '../connectors/registry.js';
import { runFlow } from '../engine/run-flow.js';
import type { RunEvent, RunSummary } from '../model/run.js';
import { openSecretStore } from '../secrets/open-secret-store.js';
import { writeFileAtomic } from '../store/atomic-write.js';
import { RUN_STATE_FILE, RunStateStore } from '../store/run-state.js';
import { flowFile } from '../store/workspace-store.js';
import { progressLine, summaryText } from './format.js';
import { EXIT, type CliIO, UsageError } from './io.js';
import { junitReport } from './junit.js';
import { flowIdFromArg, openWorkspaceArg } from './workspace-arg.js';
import { appDataDir } from '../store/app-data.js';

export interface RunCommandOptions {
  dryRun: boolean;
  since?: string;
  json: boolean;
  junit?: string;
}

/** Watermarks are ISO date-times or numbers (version cursors); anything else is a typo worth stopping for. */
function checkSince(since: string | undefined): void {
  if (since === undefined || deltaValueKind(since) !== 'other') return;
  throw new UsageError(
    `--since: expected an ISO date or date-time (e.g. 2026-01-31T00:00:00Z) or a number, got "${since}"`,
  );
}

export function exitCodeFor(summary: RunSummary): number {
  if (summary.status === 'cancelled') return EXIT.cancelled;
  if (summary.errorKind === 'connection') return EXIT.connectionFailure;
  if (summary.errorKind === 'config') return EXIT.invalidInput;
  if (summary.status === 'failed') return EXIT.internal;
  if (summary.status === 'stopped' || summary.counts.failed > 0) return EXIT.recordsFailed;
  return EXIT.ok;
}

export async function runCommand(
  workspaceArg: string,
  flowArg: string,
  options: RunCommandOptions,
  io: CliIO,
): Promise<number> {
  checkSince(options.since);
  const ws = await openWorkspaceArg(workspaceArg, io.cwd);
  const flowId = flowIdFromArg(flowArg);
  const flow = ws.flows.get(flowId);
  if (!flow) {
    const broken = ws.problems.filter((p) => p.file === flowFile(flowId));
    if (broken.length)
      throw new UsageError(
        `flow "${flowId}" cannot be loaded:\n${broken.map((p) => `  ${p.file}: ${p.path}: ${p.message}`).join('\n')}`,
      );
    const known = [...ws.flows.keys()];
    throw new UsageError(
      `no flow "${flowId}" in ${ws.workspace.name}${known.length ? ` (flows: ${known.join(', ')})` : ''}`,
    );
  }
  const dataDir = appDataDir(io.env);
  // Opening touches no keychain: a flow without secrets runs on a server without one; a read explains what to do.
  const secrets = openSecretStore({ env: io.env, dataDir });
  const runState = new RunStateStore(join(dataDir, RUN_STATE_FILE));
  const tty = !options.json && io.stderr.isTTY === true;
  let progressShown = false;
  const onEvent = (event: RunEvent) => {
    if (options.json) {
      io.stdout.write(`${JSON.stringify(event)}\n`);
      return;
    }
    if (tty && event.type === 'progress') {
      io.stderr.write(`\r\u001b[2K${progressLine(event.nodes, event.elapsedMs, io.stderr.columns ?? 100)}`);
      progressShown = true;
    }
  };
  let summary: RunSummary;
  try {
    summary = await runFlow(
      flow,
      {
        workspace: {
          dir: ws.dir,
          workspaceId: ws.workspace.id,
          connections: ws.connections,
          valueMaps: ws.valueMaps,
          defaults: ws.workspace.defaults,
        },
        registry: defaultRegistry(),
        secrets,
        runState,
      },
      { dryRun: options.dryRun, since: options.since, signal: io.signal, onEvent },
    );
  } finally {
    runState.close();
    if (progressShown) io.stderr.write('\r\u001b[2K');
  }
  if (!options.json) io.stdout.write(summaryText(flow.name, summary));
  if (options.junit) await writeFileAtomic(resolve(io.cwd, options.junit), junitReport(flow.name, summary));
  return exitCodeFor(summary);
}
