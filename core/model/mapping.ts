import { z } from 'zod';
import { idSchema, jsonValueSchema } from './json-value.js';

/** When a mapped field is written: always, or only when the destination creates the record (enriched data survives). */
export const applyModes = ['createAndUpdate', 'createOnly'] as const;

interface MapFieldShape {
  target: string;
  expression: string;
  default?: z.infer<typeof jsonValueSchema>;
  apply?: (typeof applyModes)[number];
  valueMap?: string;
  fields?: MapFieldShape[];
  [extra: string]: unknown;
}

export const mapFieldSchema: z.ZodType<MapFieldShape> = z.looseObject({
  /** Destination field; dots address nested objects (`address.city`). */
  target: z.string().min(1),
  /** JSONata over the incoming record; `$source` is the record as its source read it. */
  expression: z.string().min(1),
  /** Used when the expression yields nothing, null or "". */
  default: jsonValueSchema.optional(),
  apply: z.enum(applyModes).optional(),
  /** Id of a workspace value map (`value-maps/<id>.value-map.json`) the expression's value is translated through. */
  valueMap: idSchema.optional(),
  /**
   * Lines (order lines, invoice lines): the expression yields an array and each element is mapped with these
   * fields, the element being the input of their expressions (`$source` stays the whole source record).
   */
  get fields() {
    return z.array(mapFieldSchema).optional();
  },
});
export type MapField = z.infer<typeof mapFieldSchema>;

export const mapConfigSchema = z.looseObject({
  fields: z.array(mapFieldSchema),
  /** Copy the incoming fields that no mapping targets. */
  keepUnmapped: z.boolean().optional(),
});
export type MapConfig = z.infer<typeof mapConfigSchema>;

/** Rule-builder operators; which ones the UI offers depends on the field's type. */
export const filterOperators = [
  'eq',
  'ne',
  'lt',
  'le',
  'gt',
  'ge',
  'contains',
  'startsWith',
  'endsWith',
  'in',
  'notIn',
  'empty',
  'notEmpty',
  'isTrue',
  'isFalse',
] as const;
export type FilterOperator = (typeof filterOperators)[number];

export const filterRuleSchema = z.looseObject({
  /** A field path of the incoming record (`status`, `customer.email`). */
  field: z.string().min(1),
  operator: z.enum(filterOperators),
  /** The compared value; an array for `in`/`notIn`; absent for `empty`, `notEmpty`, `isTrue`, `isFalse`. */
  value: jsonValueSchema.optional(),
});
export type FilterRule = z.infer<typeof filterRuleSchema>;

export interface FilterGroup {
  combinator: 'and' | 'or';
  rules: (FilterRule | FilterGroup)[];
  [extra: string]: unknown;
}

export const filterGroupSchema: z.ZodType<FilterGroup> = z.looseObject({
  combinator: z.enum(['and', 'or']),
  get rules() {
    return z.array(z.union([filterRuleSchema, filterGroupSchema]));
  },
});

export const filterConfigSchema = z
  .looseObject({
    /** JSONata boolean; records for which it is not true end as `filtered`. */
    expression: z.string().min(1).optional(),
    /** Rule builder: compiled to JSONata; a rejected record names the rule that stopped it. */
    rules: filterGroupSchema.optional(),
  })
  .refine((c) => (c.expression === undefined) !== (c.rules === undefined), {
    message: 'expected either "expression" (JSONata) or "rules" (rule builder), not both',
  });
export type FilterConfig = z.infer<typeof filterConfigSchema>;

/** What a value map does with a value not in its table. */
export const valueMapFallbackSchema = z.discriminatedUnion('kind', [
  /** The record fails: "<field>: value "X" is not in value map <name>". */
  z.looseObject({ kind: z.literal('fail') }),
  /** The value goes through unchanged. */
  z.looseObject({ kind: z.literal('keep') }),
  /** This value is used instead. */
  z.looseObject({ kind: z.literal('value'), value: jsonValueSchema }),
]);
export type ValueMapFallback = z.infer<typeof valueMapFallbackSchema>;

export const VALUE_MAP_SCHEMA_VERSION = 1;

/** `value-maps/<id>.value-map.json`: a translation table (payment terms, shipping methods) shared by a workspace's flows. */
export const valueMapFileSchema = z.looseObject({
  schemaVersion: z.literal(VALUE_MAP_SCHEMA_VERSION),
  id: idSchema,
  name: z.string().min(1),
  description: z.string().optional(),
  /** Source values are compared as text (a number 30 matches "30"); the first entry for a value wins. */
  entries: z.array(z.looseObject({ from: z.string(), to: jsonValueSchema })),
  fallback: valueMapFallbackSchema,
});
export type ValueMapFile = z.infer<typeof valueMapFileSchema>;

/** A map node's output for sample records, with each problem at the field where it occurs (the mapper's preview). */
export const mappingPreviewSchema = z.object({
  rows: z.array(
    z.object({
      input: z.record(z.string(), jsonValueSchema),
      /** Absent when the record failed as a whole. */
      output: z.record(z.string(), jsonValueSchema).optional(),
      /** The record's failure as a run would report it. */
      error: z.string().optional(),
      /** Per destination field (dotted path, `lines[0].sku` inside lines): type mismatch, required empty, not in map. */
      fieldErrors: z.array(z.object({ target: z.string(), message: z.string() })),
    }),
  ),
  /** Configuration errors (bad expression, unknown value map), by config path. */
  problems: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type MappingPreview = z.infer<typeof mappingPreviewSchema>;
