import { z } from 'zod';
import { jsonValueSchema } from './json-value.js';

/** When a mapped field is written: always, or only when the destination creates the record (enriched data survives). */
export const applyModes = ['createAndUpdate', 'createOnly'] as const;

export const mapFieldSchema = z.looseObject({
  /** Destination field; dots address nested objects (`address.city`). */
  target: z.string().min(1),
  /** JSONata over the incoming record; `$source` is the record as its source read it. */
  expression: z.string().min(1),
  /** Used when the expression yields nothing, null or "". */
  default: jsonValueSchema.optional(),
  apply: z.enum(applyModes).optional(),
});
export type MapField = z.infer<typeof mapFieldSchema>;

export const mapConfigSchema = z.looseObject({
  fields: z.array(mapFieldSchema),
  /** Copy the incoming fields that no mapping targets. */
  keepUnmapped: z.boolean().optional(),
});
export type MapConfig = z.infer<typeof mapConfigSchema>;

export const filterConfigSchema = z.looseObject({
  /** JSONata boolean; records for which it is not true end as `filtered`. */
  expression: z.string().min(1),
});
export type FilterConfig = z.infer<typeof filterConfigSchema>;
