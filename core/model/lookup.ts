import { z } from 'zod';

/**
 * A lookup node's config is the connector's lookup config (entity, fields…) plus these fields, which the engine
 * owns and splits off before the connector sees the rest — as it does with `connection`.
 */
export const lookupMatchSchema = z.looseObject({
  /** A field of the looked-up entity (`email`, `number`, `MainContact.Email`). */
  field: z.string().min(1),
  /** JSONata over the incoming record giving the value that field must equal; `$source` is the source record. */
  expression: z.string().min(1),
});
export type LookupMatch = z.infer<typeof lookupMatchSchema>;

export const LOOKUP_INTO_DEFAULT = 'match';

export const lookupEngineConfigSchema = z.object({
  match: z
    .array(lookupMatchSchema)
    .min(1)
    .meta({
      description:
        'How a record finds its match: each entry names a field of the entity and a JSONata expression over the ' +
        'record; a match must equal every value.',
      placeholder: '[{"field": "email", "expression": "customerEmail"}]',
    }),
  into: z
    .string()
    .min(1)
    .default(LOOKUP_INTO_DEFAULT)
    .meta({ description: 'Field of a found record that holds the match (a following map reads match.number).' }),
  whenEmpty: z
    .enum(['fail', 'notFound'])
    .default('fail')
    .meta({
      description:
        'A record whose match values are empty: fail (default: a missing e-mail would otherwise look like a new ' +
        'customer on every run) or send it to not found.',
    }),
});
export type LookupEngineConfig = z.infer<typeof lookupEngineConfigSchema>;

export const LOOKUP_ENGINE_FIELDS = Object.keys(lookupEngineConfigSchema.shape) as (keyof LookupEngineConfig)[];
