import { randomUUID } from 'node:crypto';
import { ConfigError, ConnectionError, errorMessage } from '../connectors/errors.js';
import { NetworkScope } from '../connectors/net/http-factory.js';
import type { ConnectorRegistry } from '../connectors/registry.js';
import type { Logger } from '../connectors/types.js';
import { DEFAULT_ERROR_POLICY, type Flow } from '../model/flow.js';
import type { RunEvent, RunStatus, RunSummary } from '../model/run.js';
import { ValidationError } from '../model/validation-error.js';
import type { WorkspaceDefaults } from '../model/workspace.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { RunStatePort } from '../store/run-state.js';
import { flowFile } from '../store/workspace-store.js';
import { type ConcurrencyPools, processPools } from './concurrency-pools.js';
import { missingRecordsWarning } from '../connectors/write-operations.js';
import { collectWarnings } from './run-warnings.js';
import { type PreparedNode, type WorkspaceView, prepareNodes, silentLogger } from './prepare-nodes.js';
import { type DeliveryTarget, FlowRouter } from './flow-router.js';
import type { FlowRecord } from './record.js';
import { PreviewCollector } from './preview.js';
import { RunRecorder } from './run-recorder.js';
import { validateFlow } from './validate-flow.js';
import { WatermarkTracker } from './watermark-tracker.js';

export interface RunContext {
  workspace: WorkspaceView & { defaults?: WorkspaceDefaults };
  registry: ConnectorRegistry;
  secrets: SecretStore;
  /** Run history and watermarks; without it nothing is remembered between runs. */
  runState?: RunStatePort;
  log?: Logger;
  /** Concurrency pools shared with the other runs of the process; default `processPools`. */
  pools?: ConcurrencyPools;
}

export interface RunOptions {
  dryRun?: boolean;
  /** Overrides every source's stored watermark (backdating a sync). */
  since?: string;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  runId?: string;
  pageSize?: number;
  progressIntervalMs?: number;
  /** Keep the first N records into and out of every node (the editor's preview table); 0 or absent: off. */
  previewLimit?: number;
}

class PolicyStop extends Error {}

function classify(error: unknown): { status: RunStatus; kind: RunSummary['errorKind'] } {
  if (error instanceof PolicyStop) return { status: 'stopped', kind: 'policy' };
  if (error instanceof ConnectionError) return { status: 'failed', kind: 'connection' };
  if (error instanceof ConfigError || error instanceof ValidationError) return { status: 'failed', kind: 'config' };
  return { status: 'failed', kind: 'internal' };
}

/**
 * The one run loop of every host (desktop, CLI, web, tests). Pages move through the graph one at a time, so a
 * source is only read as fast as its slowest destination writes, and memory is bounded by page and batch sizes.
 */
export async function runFlow(flow: Flow, ctx: RunContext, options: RunOptions = {}): Promise<RunSummary> {
  const file = flowFile(flow.id);
  const problems = validateFlow(flow, {
    registry: ctx.registry,
    connections: ctx.workspace.connections,
    valueMaps: ctx.workspace.valueMaps,
    file,
  });
  if (problems.length) throw new ValidationError(problems);

  const runId = options.runId ?? randomUUID();
  const dryRun = options.dryRun ?? false;
  const emit = options.onEvent ?? (() => undefined);
  const collected = collectWarnings(ctx.log ?? silentLogger, (message) =>
    emit({ type: 'run-warning', runId, message }),
  );
  const log = collected.logger;
  const defaults = ctx.workspace.defaults ?? {};
  const policy = flow.errorPolicy ?? defaults.errorPolicy ?? DEFAULT_ERROR_POLICY;
  const maxFailures = policy.mode === 'stop' ? (policy.maxFailures ?? 1) : Infinity;
  const pageSize = options.pageSize ?? defaults.pageSize ?? 1000;
  const progressInterval = options.progressIntervalMs ?? 250;
  const started = Date.now();
  const startedAt = new Date(started).toISOString();

  const controller = new AbortController();
  const onAbort = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = controller.signal;

  const recorder = new RunRecorder(runId, defaults.recordHistory ?? 'changes', ctx.runState, (failure) =>
    emit({ type: 'record-failed', runId, failure }),
  );
  const storedWatermarks = ctx.runState?.getWatermarks(ctx.workspace.workspaceId, flow.id) ?? {};
  const watermarks: Record<string, string> = { ...storedWatermarks };
  const sinceBySource: Record<string, string> = {};
  const trackers = new Map<string, WatermarkTracker>();
  let runError: unknown;
  let lastProgress = 0;

  const progress = (force: boolean) => {
    const now = Date.now();
    if (!force && now - lastProgress < progressInterval) return;
    lastProgress = now;
    emit({ type: 'progress', runId, elapsedMs: now - started, nodes: recorder.nodeStats(now - started) });
  };

  ctx.runState?.startRun({ runId, workspaceId: ctx.workspace.workspaceId, flowId: flow.id, dryRun, startedAt });
  let prepared = new Map<string, PreparedNode>();
  let transactional = false;
  let router: FlowRouter | undefined;
  const preview = options.previewLimit ? new PreviewCollector(options.previewLimit) : undefined;
  // Connectors on one connection share its dispatcher (sockets, keep-alive) for the run; closed when it ends.
  const network = new NetworkScope();
  const resources = { pools: ctx.pools ?? processPools, network };
  try {
    prepared = await prepareNodes(flow, ctx.workspace, ctx.registry, ctx.secrets, signal, log, resources);
    transactional = [...prepared.values()].some((p) => p.kind === 'destination' && p.writer.transactional);
    for (const p of prepared.values()) {
      if (p.kind === 'source' && p.reader.delta) {
        const since = options.since ?? storedWatermarks[p.node.id];
        if (since !== undefined) sinceBySource[p.node.id] = since;
      }
    }
    emit({ type: 'run-started', runId, flowId: flow.id, dryRun, since: sinceBySource });

    const onOutcome: DeliveryTarget['settle'] = (nodeId, record, outcome, pending) => {
      const lineage = record.lineage;
      recorder.settle(nodeId, lineage, outcome);
      if (pending) trackers.get(lineage.node)?.resolvePending(lineage.page);
      if (recorder.counts.failed >= maxFailures && !signal.aborted) {
        controller.abort(
          new PolicyStop(
            `stopped after ${recorder.counts.failed} failed records (error policy: stop after ${maxFailures})`,
          ),
        );
      }
    };
    router = new FlowRouter(
      flow,
      prepared,
      recorder,
      {
        dryRun,
        signal,
        settle: onOutcome,
        buffered: (records) => {
          // Counted per run of records from the same source page: one tracker call per page, not per record.
          for (let i = 0; i < records.length;) {
            const { node, page } = records[i]!.lineage;
            let j = i + 1;
            while (j < records.length && records[j]!.lineage.page === page && records[j]!.lineage.node === node) j++;
            trackers.get(node)?.addPending(page, j - i);
            i = j;
          }
        },
        released: (records) => {
          for (const r of records) trackers.get(r.lineage.node)?.resolvePending(r.lineage.page);
        },
      },
      preview,
    );

    for (const p of prepared.values()) {
      if (p.kind !== 'source') continue;
      const { reader, node } = p;
      const tracker = new WatermarkTracker(reader.delta?.ordered ?? false);
      trackers.set(node.id, tracker);
      const deltaField = reader.delta?.field;
      const keyField = reader.keyField;
      const stats = recorder.node(node.id);
      let pageNo = 0;
      let position = 0;
      for await (const page of reader.pages({ since: sinceBySource[node.id], pageSize, signal })) {
        if (signal.aborted) break;
        const records: FlowRecord[] = new Array(page.records.length);
        const deltas: unknown[] = deltaField ? new Array(page.records.length) : [];
        for (let i = 0; i < page.records.length; i++) {
          const data = page.records[i]!;
          position++;
          const key =
            page.keys?.[i] ??
            (keyField !== undefined && data[keyField] !== undefined && data[keyField] !== null
              ? String(data[keyField])
              : `#${position}`);
          records[i] = { data, source: data, lineage: { node: node.id, key, page: pageNo } };
          if (deltaField) deltas[i] = data[deltaField];
        }
        tracker.beginPage(pageNo, deltas);
        stats.in += records.length + (page.failures?.length ?? 0);
        stats.out += records.length;
        for (const failure of page.failures ?? []) {
          onOutcome(
            node.id,
            { data: {}, source: {}, lineage: { node: node.id, key: failure.key, page: pageNo } },
            { status: 'failed', error: failure.error },
            false,
          );
        }
        preview?.out(node.id, records);
        await router.deliver(node.id, 'out', records);
        tracker.pageDelivered(pageNo);
        recorder.flush();
        if (!dryRun && !transactional && ctx.runState) {
          const safe = tracker.safeWatermark();
          if (safe !== undefined && safe !== watermarks[node.id]) {
            watermarks[node.id] = safe;
            ctx.runState.setWatermark(ctx.workspace.workspaceId, flow.id, node.id, safe, runId);
          }
        }
        progress(false);
        pageNo++;
      }
      if (signal.aborted) break;
      await router.flushAll();
      tracker.markExhausted();
      recorder.flush();
    }
    if (signal.aborted) throw signal.reason instanceof Error ? signal.reason : new Error('cancelled');
  } catch (error) {
    runError = error;
  }

  const cancelled =
    runError !== undefined && options.signal?.aborted === true && !(signal.reason instanceof PolicyStop);
  let status: RunStatus = 'succeeded';
  let errorKind: RunSummary['errorKind'];
  if (cancelled) {
    status = 'cancelled';
    errorKind = 'cancelled';
  } else if (runError !== undefined) {
    ({ status, kind: errorKind } = classify(runError));
  }
  const ok = status === 'succeeded';
  for (const [nodeId, count] of router?.missing ?? []) log.warn(missingRecordsWarning(nodeId, count));
  for (const p of prepared.values()) {
    if (p.kind === 'source') await p.reader.close?.().catch(() => undefined);
    if (p.kind === 'lookup') {
      const { asked, cached, found, notFound } = p.lookup.counts;
      log.debug(`lookup "${p.node.id}": ${found} found, ${notFound} not found; ${asked} asked, ${cached} from cache`);
      await p.runtime.close?.().catch(() => undefined);
    }
    if (p.kind !== 'destination') continue;
    try {
      await p.writer.close({ ok, dryRun });
    } catch (error) {
      if (ok) {
        status = 'failed';
        errorKind = classify(error).kind;
        runError = error;
      }
    }
    if (p.writer.transactional && (!ok || status !== 'succeeded')) {
      recorder.discard(
        p.node.id,
        `not written: the run ${status === 'cancelled' ? 'was cancelled' : 'did not complete'}, so ${p.node.id} discarded its output`,
      );
    }
  }
  recorder.flush();
  await network.close();

  if (!dryRun && ctx.runState) {
    for (const [nodeId, tracker] of trackers) {
      if (transactional && status !== 'succeeded') continue;
      const safe = tracker.safeWatermark();
      if (safe !== undefined && safe !== watermarks[nodeId]) {
        watermarks[nodeId] = safe;
        ctx.runState.setWatermark(ctx.workspace.workspaceId, flow.id, nodeId, safe, runId);
      }
    }
  }

  const finished = Date.now();
  progress(true);
  const summary: RunSummary = {
    runId,
    flowId: flow.id,
    status,
    dryRun,
    startedAt,
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    counts: { ...recorder.counts },
    nodes: recorder.nodeStats(finished - started),
    error: runError === undefined ? undefined : cancelled ? 'cancelled' : errorMessage(runError),
    errorKind,
    watermarks,
    failures: recorder.failures,
    ...(collected.warnings().length ? { warnings: collected.warnings() } : {}),
  };
  if (preview) {
    const previews = preview.result();
    ctx.runState?.savePreviews?.(runId, previews);
    emit({ type: 'node-previews', runId, previews });
  }
  ctx.runState?.finishRun(ctx.workspace.workspaceId, summary);
  options.signal?.removeEventListener('abort', onAbort);
  emit({ type: 'run-finished', runId, summary });
  return summary;
}
