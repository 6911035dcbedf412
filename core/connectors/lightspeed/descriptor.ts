import { z } from 'zod';
import { redirectPortSetting } from '../redirect-port.js';
import type { ConnectorDescriptor } from '../../model/descriptor.js';
import { formSchema, lookupFormSchema } from '../json-schema.js';
import { networkOptionsSchema, refineNetworkOptions } from '../net/network-options.js';
import { retrySettingsSchema } from '../net/retry.js';
import { writeOperationField } from '../write-operations.js';
import { lightspeedCatalog } from './catalog.js';
import { entityDescriptors } from './entities.js';

/**
 * Lightspeed documents no concurrency limit, only the request rate; four requests in flight overlap latency without
 * spending a small store's 5-minute allowance (350 requests with one register) in a burst.
 */
export const LS_DEFAULT_CONCURRENCY = 4;
/** Records per engine batch: the writer sends them one request each, as many side by side as the pool allows. */
export const LS_BATCH_SIZE = 50;
/** docs/rate_limiting: 300 requests per register plus 50, per 5 minutes, per retailer and application. */
export const LS_RATE_LIMIT = { perRegister: 300, base: 50, windowSeconds: 300 } as const;

const catalog = lightspeedCatalog();
const readable = catalog.entities.map((e) => e.name);
const writable = catalog.entities.filter((e) => e.create || e.update).map((e) => e.name);
const searchable = catalog.entities.filter((e) => e.search.length > 0).map((e) => e.name);
const oauth = { auth: 'oauth' } as const;

export const lsConnectionSettingsSchema = z
  .object({
    domainPrefix: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i, 'expected the part before .retail.lightspeed.app, e.g. "mystore"')
      .meta({
        placeholder: 'mystore',
        description: 'Your store is https://<domain prefix>.retail.lightspeed.app.',
      }),
    auth: z
      .enum(['token', 'oauth'])
      .default('token')
      .meta({
        description:
          'token: a personal token made in the store (Setup → Personal tokens); oauth: an application of the ' +
          'Lightspeed developer portal, authorized once in the browser, then its refresh token (rotated on use).',
      }),
    personalToken: z
      .string()
      .optional()
      .meta({ secret: true, showWhen: { auth: 'token' } }),
    clientId: z
      .string()
      .min(1)
      .optional()
      .meta({ showWhen: oauth, description: 'The client_id of your application (developer portal).' }),
    clientSecret: z.string().optional().meta({ secret: true, showWhen: oauth }),
    refreshToken: z.string().optional().meta({
      secret: true,
      showWhen: oauth,
      // The browser sign-in ("Authorize…") fills it.
      widget: 'oauth-sign-in',
      description: 'Kept in the keychain and replaced by the new one each time Lightspeed rotates it.',
    }),
    redirectPort: redirectPortSetting({
      showWhen: oauth,
      placeholder: '47391',
      description:
        'The port of the redirect URI registered for your application: http://127.0.0.1:<port>/callback. ' +
        'Lightspeed sends the browser back only to the URI registered, so the sign-in listens on this port.',
    }),
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
      .optional()
      .meta({
        placeholder: 'http://127.0.0.1:4040',
        description:
          'Tests and emulators only: the store’s address instead of https://<domain prefix>.retail.lightspeed.app ' +
          '(the sign-in page then lives there too).',
      }),
    rateLimit: z
      .object({
        perRegister: z.number().int().min(1).default(LS_RATE_LIMIT.perRegister),
        base: z.number().int().min(0).default(LS_RATE_LIMIT.base),
        windowSeconds: z.number().int().min(1).default(LS_RATE_LIMIT.windowSeconds),
      })
      .optional()
      .meta({
        description:
          'Lightspeed’s limit, kept by every flow of this process together: 300 requests per register plus 50 in ' +
          'any 5 minutes. Change it only for a test server.',
      }),
    retry: retrySettingsSchema(6),
    ...networkOptionsSchema.shape,
  })
  .superRefine((settings, ctx) => {
    refineNetworkOptions(settings, ctx);
    if (settings.auth === 'oauth' && settings.clientId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['clientId'], message: 'OAuth needs the client_id of your application' });
    }
    if (settings.baseUrl && /^[a-z]+:\/\/[^/?#]*@/i.test(settings.baseUrl)) {
      ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'put credentials in the auth settings' });
    }
  });
export type LsConnectionSettings = z.infer<typeof lsConnectionSettingsSchema>;

export const lsSourceConfigSchema = z.object({
  entity: z.enum(readable as [string, ...string[]]),
  /** `page_size` of each request; the cursor moves by `version`, so any size the server honours works. */
  pageSize: z.number().int().min(1).max(10_000).default(1000),
  /** Include soft-deleted records (with `deleted_at`), where the resource offers it. */
  deleted: z.boolean().default(false),
  /** Sales: each line item gets its product's sku and product_name (line items name the product by id only). */
  lineProducts: z
    .boolean()
    .default(false)
    .meta({ description: "Sales only: add each line item's product SKU and name (products read by id, once a run)" }),
});
export type LsSourceConfig = z.infer<typeof lsSourceConfigSchema>;

/** The field that finds an existing record, by entity (the writer looks it up through /search). */
export const LS_DEFAULT_KEYS: Record<string, string> = {
  products: 'sku',
  customers: 'email',
  sales: 'invoice_number',
  inventory: 'product_id',
};

export const lsDestinationConfigSchema = z.object({
  entity: z.enum(writable as [string, ...string[]]),
  /**
   * The shared operations (write-operations.ts). Records are found by `key` (an `id` in the record is used as it
   * is). Inventory is only ever updated: a product that does not exist is never created.
   */
  operation: writeOperationField({ default: 'upsert' }),
  key: z
    .string()
    .min(1)
    .optional()
    .meta({
      placeholder: 'sku',
      description:
        'The field that finds the record in Lightspeed: products sku, customers email, sales invoice_number, ' +
        'inventory product_id or sku (the defaults).',
    }),
});
export type LsDestinationConfig = z.infer<typeof lsDestinationConfigSchema>;

export const lsLookupConfigSchema = z.object({
  /** Products by sku, customers by email, sales by invoice_number (the fields /search takes). */
  entity: z.enum(searchable as [string, ...string[]]),
});
export type LsLookupConfig = z.infer<typeof lsLookupConfigSchema>;

export const lsDescriptor: ConnectorDescriptor = {
  id: 'lightspeed',
  name: 'Lightspeed Retail (X-Series)',
  description:
    'Lightspeed Retail X-Series (formerly Vend): products with variants, customers, sales, inventory per outlet. ' +
    'Reads page by version with delta sync; personal token or OAuth with rotating refresh tokens; keeps the ' +
    'store’s rate limit.',
  icon: 'database',
  nodeKinds: ['source', 'lookup', 'destination'],
  connectionSchema: formSchema(lsConnectionSettingsSchema),
  sourceConfigSchema: formSchema(lsSourceConfigSchema),
  destinationConfigSchema: formSchema(lsDestinationConfigSchema),
  lookupConfigSchema: lookupFormSchema(lsLookupConfigSchema),
  authKinds: ['personal-token', 'oauth-authorization-code'],
  entities: entityDescriptors(catalog),
  defaultBatchSize: LS_BATCH_SIZE,
  defaultConcurrency: LS_DEFAULT_CONCURRENCY,
};
