import { z } from 'zod';
import { redirectPortSetting } from '../redirect-port.js';
import type { ConnectorDescriptor } from '../../model/descriptor.js';
import { formSchema, lookupFormSchema } from '../json-schema.js';
import { networkOptionsSchema, refineNetworkOptions } from '../net/network-options.js';
import { retrySettingsSchema } from '../net/retry.js';
import { writeOperationField } from '../write-operations.js';
import { type AcumaticaEndpoint, acumaticaCatalog, acumaticaVersions } from './catalog.js';
import { entityDescriptors } from './entities.js';

export const ACU_ENDPOINTS = ['Default', 'MANUFACTURING', 'eCommerce'] as const satisfies readonly AcumaticaEndpoint[];
/**
 * The licence limits concurrent API requests (License Monitoring Console, SM604000) and small licences allow few;
 * two requests in flight overlap network latency without taking a small licence's whole allowance. Raise it under
 * the connection's Concurrency.
 */
export const ACU_DEFAULT_CONCURRENCY = 2;
/** Acumatica's documented scopes: `api` for the contract-based API, `offline_access` for refresh tokens. */
export const ACU_DEFAULT_SCOPES = 'api offline_access';
/** Records per engine batch: the writer sends them one PUT each, as many side by side as the pool allows. */
export const ACU_BATCH_SIZE = 50;

const allVersions = [...new Set(ACU_ENDPOINTS.flatMap((e) => acumaticaVersions(e)))].sort();
const cookie = { auth: 'cookie' } as const;
const withUser = { auth: ['cookie', 'oauth-password'] } as const;
const oauth = { auth: ['oauth-password', 'oauth-code'] } as const;

export const acuConnectionSettingsSchema = z
  .object({
    mode: z
      .enum(['cloud', 'on-premise'])
      .default('cloud')
      .meta({
        description:
          'cloud: an instance Acumatica hosts (https://<name>.acumatica.com); on-premise: your own server. Ferry ' +
          'reaches both directly from where it runs: no agent, no gateway.',
      }),
    instanceUrl: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }).meta({
      placeholder: 'https://contoso.acumatica.com or https://erp.corp.local/AcumaticaERP',
      description: 'The instance: the address you sign in at, without /entity.',
    }),
    endpoint: z.enum(ACU_ENDPOINTS).default('Default').meta({
      description: 'The web services endpoint: Default, MANUFACTURING (production) or eCommerce.',
    }),
    endpointVersion: z
      .enum(allVersions as [string, ...string[]])
      .optional()
      .meta({
        description: 'The endpoint version (empty: the newest Ferry ships). Test connection lists the server’s.',
      }),
    auth: z
      .enum(['cookie', 'oauth-password', 'oauth-code'])
      .default('cookie')
      .meta({
        description:
          'cookie: sign in with user name and password (a session per run); oauth-password: OAuth 2.0 resource-owner ' +
          'password grant; oauth-code: OAuth 2.0 authorization code with PKCE, then the stored refresh token.',
      }),
    username: z.string().min(1).optional().meta({ showWhen: withUser }),
    // Form-only like every secret: stored in the keychain, read through ctx.secret('password').
    password: z.string().optional().meta({ secret: true, showWhen: withUser }),
    tenant: z.string().min(1).optional().meta({
      showWhen: withUser,
      description: 'Tenant (company) to sign in to; needed when the instance has more than one.',
    }),
    branch: z.string().min(1).optional().meta({ showWhen: cookie }),
    locale: z.string().min(1).optional().meta({ showWhen: cookie, placeholder: 'en-US' }),
    clientId: z
      .string()
      .min(1)
      .optional()
      .meta({ showWhen: oauth, description: 'Client ID of the connected application (SM303010), e.g. 4F…@Company.' }),
    clientSecret: z.string().optional().meta({ secret: true, showWhen: oauth }),
    refreshToken: z
      .string()
      .optional()
      .meta({
        secret: true,
        showWhen: { auth: 'oauth-code' },
        // The browser sign-in ("Authorize…") fills it; pasting one obtained elsewhere works too.
        widget: 'oauth-sign-in',
        description: 'Kept in the keychain and replaced by the new one each time Acumatica rotates it.',
      }),
    scopes: z.string().min(1).default(ACU_DEFAULT_SCOPES).meta({ showWhen: oauth }),
    redirectPort: redirectPortSetting({
      showWhen: { auth: 'oauth-code' },
      placeholder: '47390',
      description:
        'The port of the redirect URI registered for the connected application (SM303010, Redirect URIs): ' +
        'http://127.0.0.1:<port>/callback. Acumatica accepts only a URI registered exactly, so the browser ' +
        'sign-in listens on this port of this computer for the answer.',
    }),
    requestsPerMinute: z
      .number()
      .int()
      .min(1)
      .max(100_000)
      .optional()
      .meta({
        description:
          'Requests per minute for every flow of this process signing in as this user (the licence’s "Maximum ' +
          'Number of Web Services API Requests per Minute"); empty: no limit beyond the concurrency level.',
      }),
    loginRetry: z
      .object({
        attempts: z.number().int().min(1).max(5).default(3),
        delaySeconds: z.number().int().min(1).max(3600).default(60),
      })
      .optional()
      .meta({
        description:
          'When the licence’s API-user limit refuses the login: attempts in all, spaced by delaySeconds × attempt.',
      }),
    retry: retrySettingsSchema(6),
    ...networkOptionsSchema.shape,
  })
  .superRefine((settings, ctx) => {
    refineNetworkOptions(settings, ctx);
    const need = (field: keyof typeof settings, message: string) => {
      if (settings[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message });
    };
    if (settings.auth !== 'oauth-code') need('username', 'needs the user name to sign in with');
    if (settings.auth !== 'cookie') need('clientId', 'OAuth 2.0 needs the client ID of the connected application');
    if (settings.endpointVersion && !acumaticaVersions(settings.endpoint).includes(settings.endpointVersion)) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpointVersion'],
        message: `the ${settings.endpoint} endpoint ships in ${acumaticaVersions(settings.endpoint).join(', ')}`,
      });
    }
    if (/^[a-z]+:\/\/[^/?#]*@/i.test(settings.instanceUrl)) {
      ctx.addIssue({ code: 'custom', path: ['instanceUrl'], message: 'put credentials in the auth settings' });
    }
    if (/\/entity(\/|$)/i.test(new URL(settings.instanceUrl).pathname)) {
      ctx.addIssue({ code: 'custom', path: ['instanceUrl'], message: 'the instance URL ends before /entity' });
    }
  });
export type AcuConnectionSettings = z.infer<typeof acuConnectionSettingsSchema>;

/** Field names as the flow uses them: `MainContact.Email`, `custom.Document.AttrX` (see wire.ts). */
const fieldList = z.array(z.string().min(1));

export const acuSourceConfigSchema = z.object({
  /** A top-level entity of the connection's endpoint (the picker lists them); checked against its catalog. */
  entity: z.string().min(1),
  /** `$select`: the fields the flow uses (`MainContact.Email` for a linked entity's field); absent, all fields. */
  fields: fieldList.optional(),
  /** `$expand`: details and linked entities to read with each record (Details, MainContact). */
  expand: fieldList.optional(),
  /** `$custom`: custom fields as View.Field (Document.AttrX); they arrive as `custom.Document.AttrX`. */
  custom: fieldList.optional(),
  /** An extra `$filter`, and-ed with the delta filter: "Status eq 'Active'". */
  filter: z.string().min(1).optional(),
  /** `$top` of each page (paging is `$top`/`$skip`). */
  pageSize: z.number().int().min(1).max(10_000).default(500),
});
export type AcuSourceConfig = z.infer<typeof acuSourceConfigSchema>;

export const acuDestinationConfigSchema = z.object({
  entity: z.string().min(1),
  /**
   * The shared operations (write-operations.ts): upsert, PUT without conditions (created or updated by the key
   * fields); createOnly, PUT with If-None-Match: * (an existing record is skipped); updateOnly, PUT with If-Match: *
   * (a missing one is skipped). Before the shared set, Acumatica flows said create and update for the two "only"
   * operations, and so they still mean here (a shipped meaning never changes).
   */
  operation: writeOperationField({
    default: 'upsert',
    legacy: {
      create: { means: 'createOnly', label: 'Create only (existing records are skipped): earlier name of createOnly' },
      update: { means: 'updateOnly', label: 'Update only (missing records are skipped): earlier name of updateOnly' },
    },
  }),
  /** The fields that identify a record (default: the entity's keys, e.g. OrderType + OrderNbr). */
  key: fieldList.optional(),
  /** An action invoked on each written record, e.g. ReleaseSalesOrder; a 202 is polled until it finishes. */
  action: z.string().min(1).optional(),
  /** The action's parameters (field → value). */
  actionParameters: z.record(z.string(), z.unknown()).optional(),
  /** Longest wait for one action to finish, in seconds. */
  actionTimeoutSeconds: z.number().int().min(1).max(3600).default(300),
});
export type AcuDestinationConfig = z.infer<typeof acuDestinationConfigSchema>;

export const acuLookupConfigSchema = z.object({
  /** A top-level entity to find records in (Customer by MainContact.Email, StockItem by InventoryID). */
  entity: z.string().min(1),
  /** `$select`: the fields the flow reads of a match; absent, all fields. */
  fields: fieldList.optional(),
  /** `$expand`: details and linked entities to read with each match. */
  expand: fieldList.optional(),
  /** An extra `$filter`, and-ed with the match: "Status eq 'Active'". */
  filter: z.string().min(1).optional(),
});
export type AcuLookupConfig = z.infer<typeof acuLookupConfigSchema>;

export const acuDescriptor: ConnectorDescriptor = {
  id: 'acumatica',
  name: 'Acumatica',
  description:
    'Acumatica ERP, cloud or on premises (contract-based REST API: Default, MANUFACTURING or eCommerce endpoint). ' +
    'One session per run, always signed out; reads with $top/$skip and delta sync, writes with PUT.',
  icon: 'database',
  nodeKinds: ['source', 'lookup', 'destination'],
  connectionSchema: formSchema(acuConnectionSettingsSchema),
  sourceConfigSchema: formSchema(acuSourceConfigSchema),
  destinationConfigSchema: formSchema(acuDestinationConfigSchema),
  lookupConfigSchema: lookupFormSchema(acuLookupConfigSchema),
  authKinds: ['cookie', 'oauth-password', 'oauth-authorization-code'],
  // The palette's catalog: the Default endpoint's newest version; a connection's own comes from listEntities.
  entities: entityDescriptors(acumaticaCatalog('Default')),
  defaultBatchSize: ACU_BATCH_SIZE,
  defaultConcurrency: ACU_DEFAULT_CONCURRENCY,
};
