import { z } from 'zod';
import { jsonValueSchema } from './json-value.js';

/** The first records into and out of one node during a run, for the preview table. */
export const nodePreviewSchema = z.object({
  in: z.array(jsonValueSchema),
  out: z.array(jsonValueSchema),
  /** A filter's first rejected records with the rule that stopped each (absent in runs stored before it existed). */
  rejected: z.array(z.object({ record: jsonValueSchema, reason: z.string() })).optional(),
});
export type NodePreview = z.infer<typeof nodePreviewSchema>;

export const outcomeCountsSchema = z.object({
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  filtered: z.number().int(),
  failed: z.number().int(),
});
export type OutcomeCounts = z.infer<typeof outcomeCountsSchema>;

export const nodeStatsSchema = z.object({
  in: z.number().int(),
  out: z.number().int(),
  failed: z.number().int(),
  /** Records per second into this node over the run so far. */
  rate: z.number(),
  /**
   * Records sent out per output port, for nodes whose records take different ways: a lookup's found and notFound
   * (notFound counted also when nothing is connected to it), a filter's out and rejected when rejected is connected.
   */
  ports: z.record(z.string(), z.number().int()).optional(),
});
export type NodeStats = z.infer<typeof nodeStatsSchema>;

export const runStatuses = ['running', 'succeeded', 'failed', 'stopped', 'cancelled', 'interrupted'] as const;
export const runStatusSchema = z.enum(runStatuses);
export type RunStatus = z.infer<typeof runStatusSchema>;

export const recordFailureSchema = z.object({
  node: z.string(),
  sourceNode: z.string(),
  key: z.string(),
  error: z.string(),
});
export type RecordFailure = z.infer<typeof recordFailureSchema>;

export const runSummarySchema = z.object({
  runId: z.string(),
  flowId: z.string(),
  status: runStatusSchema,
  dryRun: z.boolean(),
  startedAt: z.string(),
  finishedAt: z.string(),
  durationMs: z.number(),
  counts: outcomeCountsSchema,
  nodes: z.record(z.string(), nodeStatsSchema),
  /** The run-level error (connection failure, stopped by error policy, invalid config). */
  error: z.string().optional(),
  /** Exit-code class of `error`: connection problems differ from bad configuration. */
  errorKind: z.enum(['connection', 'config', 'policy', 'cancelled', 'internal']).optional(),
  /** Watermark per source node after the run (unchanged on dry runs). */
  watermarks: z.record(z.string(), z.string()),
  /** The first failed records (all are in the run history). */
  failures: z.array(recordFailureSchema),
  /** Choices and conditions the user should know of, each once (e.g. certificate verification turned off). */
  warnings: z.array(z.string()).optional(),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

export const runEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('run-started'),
    runId: z.string(),
    flowId: z.string(),
    dryRun: z.boolean(),
    since: z.record(z.string(), z.string()),
  }),
  z.object({
    type: z.literal('progress'),
    runId: z.string(),
    elapsedMs: z.number(),
    nodes: z.record(z.string(), nodeStatsSchema),
  }),
  z.object({ type: z.literal('record-failed'), runId: z.string(), failure: recordFailureSchema }),
  z.object({ type: z.literal('run-warning'), runId: z.string(), message: z.string() }),
  /** With previews on (the editor's runs): the first records into and out of every node, just before run-finished. */
  z.object({
    type: z.literal('node-previews'),
    runId: z.string(),
    previews: z.record(z.string(), nodePreviewSchema),
  }),
  z.object({ type: z.literal('run-finished'), runId: z.string(), summary: runSummarySchema }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;

export function emptyCounts(): OutcomeCounts {
  return { created: 0, updated: 0, unchanged: 0, skipped: 0, filtered: 0, failed: 0 };
}
