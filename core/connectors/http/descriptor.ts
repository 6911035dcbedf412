import { z } from 'zod';
import type { ConnectorDescriptor, JsonSchemaObject } from '../../model/descriptor.js';
import { formSchema } from '../json-schema.js';
import { networkOptionsSchema, refineNetworkOptions } from '../net/network-options.js';
import { placeholderNames } from './template.js';

/** Placeholders a source path/query may use; anything else is a typo we would rather report at design time. */
export const SOURCE_PLACEHOLDERS = ['since', 'page', 'offset', 'pageSize'] as const;

/** Parallel requests per connection when its file sets no level: polite to an unknown REST API. */
export const HTTP_DEFAULT_CONCURRENCY = 4;

export const DEFAULT_RETRY = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 } as const;

const headersSchema = z.record(
  z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'not a valid header name'),
  z.string(),
);

export const httpRetrySchema = z.object({
  maxAttempts: z.number().int().min(1).max(10).default(DEFAULT_RETRY.maxAttempts),
  baseDelayMs: z.number().int().min(0).default(DEFAULT_RETRY.baseDelayMs),
  maxDelayMs: z.number().int().min(0).default(DEFAULT_RETRY.maxDelayMs),
});

export const httpConnectionSettingsSchema = z
  .object({
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
      .meta({ placeholder: 'https://api.example.com/v1' }),
    auth: z.enum(['none', 'basic', 'bearer']).default('none'),
    username: z
      .string()
      .min(1)
      .optional()
      .meta({ showWhen: { auth: 'basic' } }),
    // Form-only: the UI stores these in the keychain; the connector reads them via ctx.secret(), never from here.
    password: z
      .string()
      .optional()
      .meta({ secret: true, showWhen: { auth: 'basic' } }),
    token: z
      .string()
      .optional()
      .meta({ secret: true, showWhen: { auth: 'bearer' } }),
    headers: headersSchema.optional(),
    retry: httpRetrySchema.optional(),
    // Before concurrency pools this was the connection's level; the connection file's `concurrency.level` wins.
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(25)
      .optional()
      .meta({ deprecated: true, description: "Deprecated: use the connection's concurrency level." }),
    testPath: z.string().default('/'),
    ...networkOptionsSchema.shape,
  })
  .superRefine((settings, ctx) => {
    refineNetworkOptions(settings, ctx);
    if (settings.auth === 'basic' && !settings.username) {
      ctx.addIssue({ code: 'custom', path: ['username'], message: 'basic auth needs a username' });
    }
    if (/^[a-z]+:\/\/[^/?#]*@/i.test(settings.baseUrl)) {
      // Credentials in the URL would sit in the connection file in plain text and leak into every message.
      ctx.addIssue({
        code: 'custom',
        path: ['baseUrl'],
        message: 'put credentials in the auth settings, not in the URL',
      });
    }
  });
export type HttpConnectionSettings = z.infer<typeof httpConnectionSettingsSchema>;

const pagingSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('none') }),
  z.object({
    kind: z.literal('nextLink'),
    /** Dot path in the body holding the next page's URL, e.g. "@odata.nextLink" or "links.next". */
    path: z.string().min(1),
  }),
  z.object({ kind: z.literal('linkHeader') }),
  z.object({
    kind: z.literal('page'),
    param: z.string().min(1).default('page'),
    sizeParam: z.string().min(1).optional(),
    start: z.number().int().min(0).default(1),
  }),
  z.object({
    kind: z.literal('offset'),
    param: z.string().min(1).default('offset'),
    limitParam: z.string().min(1).default('limit'),
  }),
]);
export type HttpPaging = z.infer<typeof pagingSchema>;

function checkPlaceholders(texts: string[], ctx: z.RefinementCtx, path: (string | number)[]): void {
  for (const text of texts) {
    for (const name of placeholderNames(text)) {
      if (!(SOURCE_PLACEHOLDERS as readonly string[]).includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path,
          message: `unknown placeholder {{${name}}}; use ${SOURCE_PLACEHOLDERS.map((n) => `{{${n}}}`).join(', ')}`,
        });
      }
    }
  }
}

export const httpSourceConfigSchema = z
  .object({
    path: z.string().min(1).meta({ placeholder: '/customers?modifiedSince={{since}}' }),
    query: z.record(z.string().min(1), z.string()).optional(),
    /** Dot path to the record array in the body ("value", "data.items"); absent: the body itself is the array. */
    recordsPath: z.string().min(1).optional(),
    paging: pagingSchema.default({ kind: 'none' }),
    /** Sent as the page/offset paging's size/limit parameter. */
    pageSize: z.number().int().min(1).max(100_000).default(100),
    key: z.string().min(1).optional(),
    deltaField: z.string().min(1).optional(),
    deltaOrdered: z.boolean().default(false),
  })
  .superRefine((config, ctx) => {
    checkPlaceholders([config.path], ctx, ['path']);
    for (const [name, value] of Object.entries(config.query ?? {})) checkPlaceholders([value], ctx, ['query', name]);
  });
export type HttpSourceConfig = z.infer<typeof httpSourceConfigSchema>;

export const httpDestinationConfigSchema = z.object({
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  /** `{{field}}` placeholders are filled from the record, URL-encoded: "/customers/{{id}}". */
  path: z.string().min(1).meta({ placeholder: '/customers/{{id}}' }),
  headers: headersSchema.optional(),
  /** Wraps the body in one property: "data" sends {"data": {...record}}. */
  wrapIn: z.string().min(1).optional(),
  batchSize: z.number().int().min(1).max(10_000).default(50),
});
export type HttpDestinationConfig = z.infer<typeof httpDestinationConfigSchema>;

/** Files may still carry `settings.concurrency` (it validates), but the form offers only the connection's level. */
function withoutLegacyFields(schema: JsonSchemaObject): JsonSchemaObject {
  const properties = { ...(schema.properties as Record<string, unknown> | undefined) };
  delete properties.concurrency;
  return { ...schema, properties };
}

export const httpDescriptor: ConnectorDescriptor = {
  id: 'http',
  name: 'HTTP / REST',
  description: 'Reads JSON records from a REST API (with paging) and sends records to one as POST/PUT/PATCH requests.',
  icon: 'globe',
  nodeKinds: ['source', 'destination'],
  connectionSchema: withoutLegacyFields(formSchema(httpConnectionSettingsSchema)),
  sourceConfigSchema: formSchema(httpSourceConfigSchema),
  destinationConfigSchema: formSchema(httpDestinationConfigSchema),
  authKinds: ['none', 'basic', 'bearer'],
  defaultBatchSize: 50,
  defaultConcurrency: HTTP_DEFAULT_CONCURRENCY,
};
