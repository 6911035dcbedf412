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
        'How a record finds its match: each row names a field of the entity and a JSONata expression over the ' +
        'incoming record giving the value it must equal ($source is the record as its source read it); a match ' +
        'must equal every row.',
      placeholder: '[{"field": "email", "expression": "customerEmail"}]',
      // The editor's rows (a field picker from the entity's catalog, an expression with completion); forms
      // without that widget show the JSON.
      widget: 'lookup-match',
    }),
  into: z
    .string()
    .min(1)
    .default(LOOKUP_INTO_DEFAULT)
    .meta({
      description:
        'Where a found record carries the match: with "customer", a following map reads customer.number. ' +
        'Not-found records leave unchanged.',
    }),
  whenEmpty: z
    .enum(['fail', 'notFound'])
    .default('fail')
    .meta({
      description:
        'A record whose match values are empty (missing, null or ""): fail it, or send it to not found. Failing is ' +
        'the default because a missing e-mail would otherwise look like a new customer on every run.',
      enumLabels: { fail: 'Fail the record', notFound: 'Send it to not found' },
    }),
  lines: z
    .string()
    .min(1)
    .optional()
    .meta({
      description:
        'Look up each line instead of the record: the field holding the record\'s lines (an order\'s "line_items"). ' +
        'The match expressions read one line; every line found gets its match under "into".',
    }),
  whenLineMissing: z
    .enum(['fail', 'notFound'])
    .default('fail')
    .meta({
      description:
        'With lines: a record with a line that has no match fails naming the missing values ("items not in ' +
        'Business Central: SKU-1, SKU-9"), or goes to not found.',
      enumLabels: { fail: 'Fail the record, naming the missing values', notFound: 'Send it to not found' },
    }),
  matches: z
    .enum(['first', 'all'])
    .default('first')
    .meta({
      description:
        'first: "into" holds the first match and a record without one goes to not found. all: "into" holds the ' +
        'list of every match (empty when none) and every record goes on by found, so a following map can sum ' +
        'or count them (the open order lines of an item). Not with lines.',
      enumLabels: { first: 'The first match', all: 'Every match, as a list' },
    }),
});
export type LookupEngineConfig = z.infer<typeof lookupEngineConfigSchema>;

export const LOOKUP_ENGINE_FIELDS = Object.keys(lookupEngineConfigSchema.shape) as (keyof LookupEngineConfig)[];
