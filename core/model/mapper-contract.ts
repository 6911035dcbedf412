import { z } from 'zod';
import { entityFieldSchema, entityFieldTypes } from './descriptor.js';
import { flowSchema } from './flow.js';
import { idSchema, jsonValueSchema } from './json-value.js';
import { mapConfigSchema, mappingPreviewSchema, valueMapFileSchema } from './mapping.js';

/** Schemas of the mapper's contract methods (contract.ts lists the methods; these keep it short). */

/** A map or filter node of a flow; `flow` is the editor's flow when it has unsaved changes (else the file is used). */
export const flowNodeRefSchema = z.object({
  flowId: idSchema,
  nodeId: idSchema,
  flow: flowSchema.optional(),
});

export const sampleRecordSchema = z.record(z.string(), jsonValueSchema);
export type SampleRecord = z.infer<typeof sampleRecordSchema>;

/** A field the mapper can drag from: the source's catalog, or seen in sample records (type guessed from values). */
export const sourceFieldSchema = z.object({
  /** Dotted for display (`address.city`). */
  name: z.string(),
  /** The names from the record's root: a catalog's `custom.Document.AttrColor` is one name, a sample's `address.city` two. */
  path: z.array(z.string()),
  type: z.enum(entityFieldTypes),
  origin: z.enum(['catalog', 'sample', 'upstream']),
});
export type SourceField = z.infer<typeof sourceFieldSchema>;

/** The connector node at one end of a map node's path (source upstream, destination downstream). */
export const mappingEndpointSchema = z.object({
  nodeId: z.string(),
  connector: z.string(),
  entity: z.string().optional(),
});
export type MappingEndpoint = z.infer<typeof mappingEndpointSchema>;

/** Which default a node has, so "Reset to defaults" can say what it restores. */
export const defaultMappingOriginSchema = z.discriminatedUnion('kind', [
  /** The mapping the node had in the template the flow was made from, with the flow's recorded settings. */
  z.object({ kind: z.literal('template'), templateId: z.string(), templateName: z.string() }),
  /** The file shipped for the source → destination pair; `pair` names it for people ("Lightspeed customers → …"). */
  z.object({ kind: z.literal('pair'), pair: z.string() }),
]);
export type DefaultMappingOrigin = z.infer<typeof defaultMappingOriginSchema>;

export const defaultMappingSchema = z.object({
  origin: defaultMappingOriginSchema,
  mapping: mapConfigSchema,
  /** Value maps the default mapping uses; resetting adds the ones the workspace lacks. */
  valueMaps: z.array(valueMapFileSchema),
});
export type DefaultMapping = z.infer<typeof defaultMappingSchema>;

export const mappingFieldsSchema = z.object({
  source: mappingEndpointSchema.optional(),
  destination: mappingEndpointSchema.optional(),
  sourceFields: z.array(sourceFieldSchema),
  destinationFields: z.array(entityFieldSchema),
  /**
   * For a lookup node: the fields of the entity it looks in, which its match rows compare (the catalog's, or a file
   * lookup's declared columns). Absent for other nodes.
   */
  lookupFields: z.array(entityFieldSchema).optional(),
  /** The template's mapping of this node (a flow made from a template), else the one shipped for the pair. */
  defaultMapping: defaultMappingSchema.optional(),
  /** Why a column is empty (no destination connected, entity not chosen, catalog unavailable). */
  notes: z.array(z.string()),
});
export type MappingFields = z.infer<typeof mappingFieldsSchema>;

export const MAX_SAMPLE_RECORDS = 100;

export const mappingFieldsInputSchema = flowNodeRefSchema.extend({
  /** A fetched sample whose fields join the source column; absent: the last run's records into the node. */
  records: z.array(sampleRecordSchema).max(MAX_SAMPLE_RECORDS).optional(),
});

export const previewMappingInputSchema = flowNodeRefSchema.extend({
  /** The map node's config as edited: half-typed rows are reported as problems, the rest are previewed. */
  config: z.record(z.string(), z.unknown()),
  /** Sample records; absent: the last run's records into the node. */
  records: z.array(sampleRecordSchema).max(MAX_SAMPLE_RECORDS).optional(),
});

export const previewMappingResultSchema = mappingPreviewSchema.extend({
  /** Where the previewed records came from. */
  sample: z.enum(['given', 'last-run', 'none']),
});
export type PreviewMappingResult = z.infer<typeof previewMappingResultSchema>;

export const fetchSampleInputSchema = flowNodeRefSchema.extend({
  limit: z.number().int().min(1).max(MAX_SAMPLE_RECORDS).optional(),
});
export const fetchSampleResultSchema = z.object({
  /** The first records that reached the node's input (a dry run of the flow before it, not kept in the history). */
  records: z.array(sampleRecordSchema),
});

/** A value map as the editor saves it: `id` absent for a new one (derived from the name, unique). */
export const valueMapDraftSchema = valueMapFileSchema.extend({ id: idSchema.optional() });
export type ValueMapDraft = z.infer<typeof valueMapDraftSchema>;
export type FetchSampleResult = z.infer<typeof fetchSampleResultSchema>;
