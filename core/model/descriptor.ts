import { z } from 'zod';
import { nodeKindSchema } from './flow.js';

/**
 * What the UI and CLI know of a connector, serialisable across IPC/HTTP. Config forms are JSON Schema generated
 * from the connector's zod schemas (with form hints in `meta`), so a form and its validation never disagree.
 */
export const jsonSchemaObjectSchema = z.record(z.string(), z.unknown());
export type JsonSchemaObject = z.infer<typeof jsonSchemaObjectSchema>;

export const entityFieldTypes = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'datetime',
  'object',
  'array',
  'unknown',
] as const;

export const entityFieldSchema = z.object({
  name: z.string(),
  type: z.enum(entityFieldTypes),
  required: z.boolean().optional(),
  readOnly: z.boolean().optional(),
  description: z.string().optional(),
});
export type EntityField = z.infer<typeof entityFieldSchema>;

export const entityDescriptorSchema = z.object({
  name: z.string(),
  label: z.string().optional(),
  key: z.array(z.string()).optional(),
  deltaField: z.string().optional(),
  fields: z.array(entityFieldSchema),
  capabilities: z.object({ read: z.boolean(), create: z.boolean(), update: z.boolean(), delete: z.boolean() }),
});
export type EntityDescriptor = z.infer<typeof entityDescriptorSchema>;

export const connectorDescriptorSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  /** A name from the UI's icon set (renderer/canvas/icons). */
  icon: z.string(),
  /** Node kinds this connector can be used as. */
  nodeKinds: z.array(nodeKindSchema),
  /** Secret fields are marked with `"secret": true` in the schema. */
  connectionSchema: jsonSchemaObjectSchema.optional(),
  sourceConfigSchema: jsonSchemaObjectSchema.optional(),
  destinationConfigSchema: jsonSchemaObjectSchema.optional(),
  lookupConfigSchema: jsonSchemaObjectSchema.optional(),
  authKinds: z.array(z.string()).optional(),
  entities: z.array(entityDescriptorSchema).optional(),
  /** Records per destination write call. */
  defaultBatchSize: z.number().int().positive().optional(),
  /** Requests in flight per connection when the connection sets no `concurrency.level` (1–25). */
  defaultConcurrency: z.number().int().min(1).max(25).optional(),
});
export type ConnectorDescriptor = z.infer<typeof connectorDescriptorSchema>;
