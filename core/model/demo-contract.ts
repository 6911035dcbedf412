import { z } from 'zod';
import { idSchema, jsonValueSchema } from './json-value.js';

/** The contract's shapes for templates ("New flow from template") and the trainers' demo systems and data browser. */

export const templateSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** Role → connector id: the connection pickers of the dialog, filtered by connector. */
  connectors: z.record(z.string(), z.string()),
  /** JSON Schema of the settings (with defaults and titles): the dialog's generated form. */
  settingsSchema: z.record(z.string(), z.unknown()),
  valueMaps: z.array(z.string()),
});
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

export const templateListSchema = z.object({
  templates: z.array(templateSummarySchema),
  /** Templates that could not be read (file, JSON path, message); the others are listed. */
  problems: z.array(z.object({ file: z.string().optional(), path: z.string(), message: z.string() })),
});
export type TemplateList = z.infer<typeof templateListSchema>;

export const createFlowFromTemplateInputSchema = z.object({
  templateId: idSchema,
  /** Setting values; those left out take the template's defaults. */
  settings: z.record(z.string(), z.unknown()).default({}),
  /** Role → connection id; a role left out takes the workspace's only connection of its connector. */
  connections: z.record(z.string(), idSchema).default({}),
  /** The new flow's name (default: the template's). */
  name: z.string().trim().min(1).optional(),
});

export const templateResultSchema = z.object({
  /** Role → the connection used. */
  connections: z.record(z.string(), z.string()),
  /** Connections made for roles the workspace had none for (a running demo system's). */
  createdConnections: z.array(z.string()),
  /** Value maps added (those the workspace had are kept as they are). */
  addedValueMaps: z.array(z.string()),
});

export const demoSystemStateSchema = z.object({
  /** `business-central`, `acumatica`, `shop`, …: what `browseDemoData` calls it. */
  id: z.string(),
  name: z.string(),
  running: z.boolean(),
  url: z.string().optional(),
  /** Where it runs and how to sign in by hand, or why it could not start. */
  message: z.string(),
  /** The connection that reaches it. */
  connectionId: z.string().optional(),
});
export type DemoSystemState = z.infer<typeof demoSystemStateSchema>;

export const demoStatusSchema = z.object({ systems: z.array(demoSystemStateSchema) });
export type DemoStatus = z.infer<typeof demoStatusSchema>;

export const startedDemoSchema = demoStatusSchema.extend({
  /** What was done in the open workspace: connections created or re-pointed, flows made from templates. */
  messages: z.array(z.string()),
  createdFlows: z.array(z.object({ id: z.string(), name: z.string() })),
});
export type StartedDemo = z.infer<typeof startedDemoSchema>;

export const demoEntitySchema = z.object({ name: z.string(), count: z.number().int() });
export type DemoEntity = z.infer<typeof demoEntitySchema>;

export const browseDemoDataInputSchema = z.object({
  system: z.string().min(1),
  entity: z.string().min(1),
  limit: z.number().int().min(1).max(500).default(50),
  offset: z.number().int().min(0).default(0),
});

export const demoDataPageSchema = z.object({
  columns: z.array(z.string()),
  /** Newest first: what a run just wrote is on the first page. */
  rows: z.array(z.record(z.string(), jsonValueSchema)),
  total: z.number().int(),
});
export type DemoDataPage = z.infer<typeof demoDataPageSchema>;
