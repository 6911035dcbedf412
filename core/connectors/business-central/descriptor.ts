import { z } from 'zod';
import type { ConnectorDescriptor } from '../../model/descriptor.js';
import { formSchema, lookupFormSchema } from '../json-schema.js';
import { networkOptionsSchema, refineNetworkOptions } from '../net/network-options.js';
import { retrySettingsSchema } from '../net/retry.js';
import { writeOperationField } from '../write-operations.js';
import { bcCatalog } from './catalog.js';
import { entityDescriptors } from './entities.js';

export const BC_ONLINE_API_HOST = 'https://api.businesscentral.dynamics.com';
export const BC_AUTHORITY_HOST = 'https://login.microsoftonline.com';
export const BC_SCOPE = 'https://api.businesscentral.dynamics.com/.default';
/** BC allows 5 concurrent requests per user (operational limits); the pool's default matches. */
export const BC_DEFAULT_CONCURRENCY = 5;
/** BC's maximum operations per `$batch` (operational limits online). */
export const BC_MAX_BATCH = 100;

const onPremise = { mode: 'on-premise' } as const;
const online = { mode: 'online' } as const;

export const bcConnectionSettingsSchema = z
  .object({
    mode: z.enum(['online', 'on-premise']).default('online').meta({
      description: 'online: Business Central in the Microsoft cloud (OAuth); on-premise: your own server (e.g. BC14).',
    }),
    tenant: z
      .string()
      .min(1)
      .optional()
      .meta({ showWhen: online, placeholder: 'contoso.onmicrosoft.com', description: 'Entra tenant id or domain.' }),
    environment: z.string().min(1).default('Production').meta({ showWhen: online }),
    clientId: z.string().min(1).optional().meta({
      showWhen: online,
      description: 'Application (client) id of the Entra app registered in Business Central.',
    }),
    // Form-only like every secret: stored in the keychain, read through ctx.secret('clientSecret').
    clientSecret: z.string().optional().meta({ secret: true, showWhen: online }),
    authorityHost: z
      .url({ protocol: /^https?$/ })
      .default(BC_AUTHORITY_HOST)
      .meta({ showWhen: online, description: 'Where tokens come from (another cloud, or a test server).' }),
    apiHost: z
      .url({ protocol: /^https?$/ })
      .default(BC_ONLINE_API_HOST)
      .meta({ showWhen: online, description: 'Where the API lives (another cloud, or a test server).' }),
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' })
      .optional()
      .meta({ showWhen: onPremise, placeholder: 'https://bc14.corp.local:7048/BC140' }),
    apiVersion: z.enum(['v1.0', 'v2.0']).default('v1.0').meta({ showWhen: onPremise }),
    auth: z.enum(['basic', 'windows']).default('basic').meta({
      showWhen: onPremise,
      description: 'basic: user name and password or web service access key; windows: NTLM with a domain account.',
    }),
    username: z.string().min(1).optional().meta({ showWhen: onPremise }),
    domain: z
      .string()
      .min(1)
      .optional()
      .meta({ showWhen: { ...onPremise, auth: 'windows' }, placeholder: 'CORP' }),
    password: z
      .string()
      .optional()
      .meta({ secret: true, showWhen: onPremise, description: 'Password, or the web service access key.' }),
    // Optional so that a first Test connection can list the companies to choose from; nodes need it.
    company: z.string().min(1).optional().meta({
      description: 'Company id or exact name: Test connection lists the companies.',
    }),
    maxConcurrentRequests: z.number().int().min(1).max(25).default(5).meta({
      description: "Per user or app across every flow of this process (BC's limit online: 5).",
    }),
    requestBudget: z
      .object({
        requests: z.number().int().min(1).default(6000),
        windowSeconds: z.number().int().min(1).default(300),
      })
      .optional()
      .meta({ description: "Requests per sliding window per user or app (BC's limit online: 6,000 per 5 minutes)." }),
    retry: retrySettingsSchema(8),
    ...networkOptionsSchema.shape,
  })
  .superRefine((settings, ctx) => {
    refineNetworkOptions(settings, ctx);
    const need = (field: keyof typeof settings, message: string) => {
      if (settings[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    if (settings.mode === 'online') {
      need('tenant', 'online needs the tenant (id or domain)');
      need('clientId', 'online needs the client id of the Entra app');
    } else {
      need('baseUrl', 'on-premise needs the base URL of the server instance');
      need('username', 'on-premise needs a user name');
      if (settings.auth === 'windows') need('domain', 'Windows authentication needs the domain');
    }
    for (const field of ['baseUrl', 'apiHost', 'authorityHost'] as const) {
      if (/^[a-z]+:\/\/[^/?#]*@/i.test(settings[field] ?? '')) {
        ctx.addIssue({
          code: 'custom',
          path: [field],
          message: 'put credentials in the auth settings, not in the URL',
        });
      }
    }
  });
export type BcConnectionSettings = z.infer<typeof bcConnectionSettingsSchema>;

// The one shape the mapper sees is v2.0's (the client maps v1.0 to it), so configs name v2.0 entity sets.
const catalog = bcCatalog('v2.0');
const companySets = catalog.entitySets.filter((set) => set.scope === 'company');
const readable = companySets.filter((set) => set.capabilities.read).map((set) => set.name);
const writable = companySets.filter((set) => set.capabilities.create || set.capabilities.update).map((s) => s.name);
const actions = [...new Set(catalog.entitySets.flatMap((set) => set.actions))].sort();

export const bcSourceConfigSchema = z.object({
  entity: z.enum(readable as [string, ...string[]]),
  /** `$select`: the fields the flow uses; absent, every field. */
  fields: z.array(z.string().min(1)).optional(),
  /** `$expand` of contained collections, e.g. salesOrderLines (records then carry them as arrays). */
  expand: z.array(z.string().min(1)).optional(),
  /** An extra OData `$filter`, and-ed with the delta filter: "blocked eq false". */
  filter: z.string().min(1).optional(),
  /** Items, customers, …: `picture` expanded and its image's bytes in `picture.pictureContent` (base64; pictures.ts). */
  pictures: z.boolean().optional(),
  /** `Prefer: odata.maxpagesize` (BC online serves at most 20,000). */
  maxPageSize: z.number().int().min(1).max(20_000).default(1000),
});
export type BcSourceConfig = z.infer<typeof bcSourceConfigSchema>;

export const bcDestinationConfigSchema = z.object({
  entity: z.enum(writable as [string, ...string[]]),
  /**
   * The shared operations (write-operations.ts). create: POST (deep insert of contained lines present in the record);
   * update: PATCH by `id` with the record's `@odata.etag` (else If-Match *); upsert, createOnly, updateOnly: look the
   * record up by `key` first, then PATCH, POST or skip.
   */
  operation: writeOperationField({ default: 'create' }),
  key: z
    .string()
    .min(1)
    .optional()
    .meta({
      showWhen: { operation: ['upsert', 'createOnly', 'updateOnly'] },
      placeholder: 'number',
      description: 'The field that finds the record in Business Central (default: number, else code).',
    }),
  /** A bound action run on each written record, e.g. post (journals) or shipAndInvoice (salesOrders). */
  action: z.enum(actions as [string, ...string[]]).optional(),
  /** Operations per JSON `$batch` request (BC allows 100); 1 sends each record on its own. */
  batchSize: z.number().int().min(1).max(BC_MAX_BATCH).default(BC_MAX_BATCH),
});
export type BcDestinationConfig = z.infer<typeof bcDestinationConfigSchema>;

export const bcLookupConfigSchema = z.object({
  /** The entity set to find records in (customers by email, items by number). */
  entity: z.enum(readable as [string, ...string[]]),
  /** `$select`: the fields the flow reads of a match (plus the key); absent, every field. */
  fields: z.array(z.string().min(1)).optional(),
  /** An extra OData `$filter`, and-ed with the match: "blocked eq ' '". */
  filter: z.string().min(1).optional(),
});
export type BcLookupConfig = z.infer<typeof bcLookupConfigSchema>;

export const bcDescriptor: ConnectorDescriptor = {
  id: 'business-central',
  name: 'Business Central',
  description:
    'Microsoft Dynamics 365 Business Central: online (API v2.0, OAuth) or on-premises such as BC14 (API v1.0 or ' +
    'v2.0, Basic or Windows authentication). Reads with delta sync, writes in $batch requests with etags.',
  icon: 'database',
  nodeKinds: ['source', 'lookup', 'destination'],
  connectionSchema: formSchema(bcConnectionSettingsSchema),
  sourceConfigSchema: formSchema(bcSourceConfigSchema),
  destinationConfigSchema: formSchema(bcDestinationConfigSchema),
  lookupConfigSchema: lookupFormSchema(bcLookupConfigSchema),
  authKinds: ['oauth-client-credentials', 'basic', 'windows'],
  entities: entityDescriptors(catalog),
  defaultBatchSize: BC_MAX_BATCH,
  defaultConcurrency: BC_DEFAULT_CONCURRENCY,
};
