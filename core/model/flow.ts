import { z } from 'zod';
import { idSchema, jsonValueSchema } from './json-value.js';

export const FLOW_SCHEMA_VERSION = 2;

export const nodeKinds = ['source', 'map', 'filter', 'lookup', 'destination'] as const;
export const nodeKindSchema = z.enum(nodeKinds);
export type NodeKind = z.infer<typeof nodeKindSchema>;

/** Ports by role. Connector nodes may add their own (a lookup's "found" / "notFound"). */
export const DEFAULT_IN_PORT = 'in';
export const DEFAULT_OUT_PORT = 'out';

/**
 * Ports of each built-in node kind. Optional outputs may stay unconnected: a filter's "rejected" records then end
 * `filtered`, a lookup's "notFound" records `skipped` ("not found") and its "found" ones `skipped` ("already exists":
 * an order already in the target; one of the two must be connected), and a destination's "out" (each written record
 * with what the target answered, for chained writes) simply goes nowhere.
 */
export const nodePorts: Record<NodeKind, { inputs: string[]; outputs: string[]; optionalOutputs: string[] }> = {
  source: { inputs: [], outputs: ['out'], optionalOutputs: [] },
  map: { inputs: ['in'], outputs: ['out'], optionalOutputs: [] },
  filter: { inputs: ['in'], outputs: ['out', 'rejected'], optionalOutputs: ['rejected'] },
  lookup: { inputs: ['in'], outputs: ['found', 'notFound'], optionalOutputs: ['found', 'notFound'] },
  destination: { inputs: ['in'], outputs: ['out'], optionalOutputs: ['out'] },
};

export const positionSchema = z.looseObject({ x: z.number(), y: z.number() });

export const flowNodeSchema = z.looseObject({
  id: idSchema,
  kind: nodeKindSchema,
  /** For source, lookup and destination nodes the connector id; "map" and "filter" for the built-in nodes. */
  type: z.string().min(1),
  /** A shipped node type's meaning never changes: a change is a new version. */
  typeVersion: z.number().int().positive(),
  name: z.string().optional(),
  position: positionSchema,
  config: z.record(z.string(), z.unknown()),
});
export type FlowNode = z.infer<typeof flowNodeSchema>;

export const portRefSchema = z.looseObject({ node: idSchema, port: z.string().min(1) });
export type PortRef = z.infer<typeof portRefSchema>;

export const flowEdgeSchema = z.looseObject({ from: portRefSchema, to: portRefSchema });
export type FlowEdge = z.infer<typeof flowEdgeSchema>;

export const errorPolicySchema = z.looseObject({
  /** continue: every record gets its outcome and the run goes on; stop: the run stops after maxFailures failed records. */
  mode: z.enum(['continue', 'stop']),
  maxFailures: z.number().int().positive().optional(),
});
export type ErrorPolicy = z.infer<typeof errorPolicySchema>;

const cronField = /^[\d*,/-]+$/;
export const scheduleSchema = z.looseObject({
  cron: z.string().refine((s) => {
    const parts = s.trim().split(/\s+/);
    return parts.length === 5 && parts.every((p) => cronField.test(p));
  }, 'expected a 5-field cron expression such as "*/15 * * * *"'),
  timezone: z.string().optional(),
  enabled: z.boolean(),
});
export type Schedule = z.infer<typeof scheduleSchema>;

/**
 * Where a flow made from a template came from: the template's id and the setting values it was made with (defaults
 * filled in), so the mapper's "Reset to defaults" can re-make a map node's mapping exactly as it was made. Flows
 * made before the settings were recorded hold the id alone (a string); those have no template default.
 */
export const flowTemplateOriginSchema = z.looseObject({
  id: z.string().min(1),
  settings: z.record(z.string(), jsonValueSchema),
});
export type FlowTemplateOrigin = z.infer<typeof flowTemplateOriginSchema>;

export const flowSchema = z.looseObject({
  schemaVersion: z.literal(FLOW_SCHEMA_VERSION),
  id: idSchema,
  name: z.string().min(1),
  description: z.string().optional(),
  nodes: z.array(flowNodeSchema),
  edges: z.array(flowEdgeSchema),
  errorPolicy: errorPolicySchema.optional(),
  schedule: scheduleSchema.optional(),
  /** The template the flow was made from (flowTemplateOriginSchema), or its bare id in older flow files. */
  template: z.union([z.string().min(1), flowTemplateOriginSchema]).optional(),
});
export type Flow = z.infer<typeof flowSchema>;

export const DEFAULT_ERROR_POLICY: ErrorPolicy = { mode: 'continue' };

/** The id of the template a flow was made from, in either form of `template`. */
export function templateIdOf(flow: Flow): string | undefined {
  const origin = flow.template;
  return typeof origin === 'string' ? origin : origin?.id;
}
