import type { EntityDescriptor } from '../../model/descriptor.js';
import { parseConfig } from '../errors.js';
import type { Connector, ConnectorContext } from '../types.js';
import { acumaticaCatalog } from './catalog.js';
import { acumaticaBrowserSignIn } from './browser-sign-in.js';
import { type AcuOptions, type Connected, connect } from './connect.js';
import { testConnection } from './connection-test.js';
import {
  acuConnectionSettingsSchema,
  acuDescriptor,
  acuDestinationConfigSchema,
  acuLookupConfigSchema,
  acuSourceConfigSchema,
} from './descriptor.js';
import { createDestinationWriter } from './destination.js';
import { createLookupRuntime } from './lookup.js';
import { entityDescriptors } from './entities.js';
import { createSourceReader } from './source.js';

export {
  acuConnectionSettingsSchema,
  acuDestinationConfigSchema,
  acuLookupConfigSchema,
  acuSourceConfigSchema,
  type AcuConnectionSettings,
  type AcuDestinationConfig,
  type AcuLookupConfig,
  type AcuSourceConfig,
} from './descriptor.js';
export type { AcuOptions } from './connect.js';

/** The entities of the endpoint version a connection's settings choose (the palette shows Default's newest). */
export function acumaticaEntities(settings: unknown): EntityDescriptor[] {
  const parsed = acuConnectionSettingsSchema.safeParse(settings);
  if (!parsed.success) return acuDescriptor.entities ?? [];
  return entityDescriptors(acumaticaCatalog(parsed.data.endpoint, parsed.data.endpointVersion));
}

/**
 * Acumatica ERP, cloud and on premises. `options` exists for tests (a deterministic clock and jitter); the app uses
 * `acumaticaConnector`.
 */
export function createAcumaticaConnector(options: AcuOptions = {}): Connector {
  /** Joins the session and builds the role; the session is given back if building fails. */
  async function open<T>(ctx: ConnectorContext, build: (connected: Connected) => T): Promise<T> {
    const connected = await connect(ctx, options);
    try {
      return build(connected);
    } catch (error) {
      await connected.close();
      throw error;
    }
  }
  return {
    descriptor: acuDescriptor,
    connectionSettings: acuConnectionSettingsSchema,
    requiresConnection: true,
    entities: acumaticaEntities,
    source: {
      configSchema: acuSourceConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(acuSourceConfigSchema, config, 'acumatica source config');
        return open(ctx, ({ client, close }) => createSourceReader(client, parsed, ctx, close));
      },
    },
    destination: {
      configSchema: acuDestinationConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(acuDestinationConfigSchema, config, 'acumatica destination config');
        return open(ctx, ({ client, close }) => createDestinationWriter(client, parsed, close));
      },
    },
    lookup: {
      configSchema: acuLookupConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(acuLookupConfigSchema, config, 'acumatica lookup config');
        return open(ctx, ({ client, close }) => createLookupRuntime(client, parsed, close));
      },
    },
    test: (ctx) => testConnection(ctx, options),
    oauth: acumaticaBrowserSignIn,
  };
}

export const acumaticaConnector: Connector = createAcumaticaConnector();
