import { connectedRole } from '../connected-role.js';
import type { EntityDescriptor } from '../../model/descriptor.js';
import type { Connector } from '../types.js';
import { acumaticaCatalog } from './catalog.js';
import { acumaticaBrowserSignIn } from './browser-sign-in.js';
import { type AcuOptions, connect } from './connect.js';
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
  return {
    descriptor: acuDescriptor,
    connectionSettings: acuConnectionSettingsSchema,
    requiresConnection: true,
    entities: acumaticaEntities,
    source: connectedRole(
      'acumatica source config',
      acuSourceConfigSchema,
      (ctx) => connect(ctx, options),
      ({ client, close }, config, ctx) => createSourceReader(client, config, ctx, close),
    ),
    destination: connectedRole(
      'acumatica destination config',
      acuDestinationConfigSchema,
      (ctx) => connect(ctx, options),
      ({ client, close }, config) => createDestinationWriter(client, config, close),
    ),
    lookup: connectedRole(
      'acumatica lookup config',
      acuLookupConfigSchema,
      (ctx) => connect(ctx, options),
      ({ client, close }, config) => createLookupRuntime(client, config, close),
    ),
    test: (ctx) => testConnection(ctx, options),
    oauth: acumaticaBrowserSignIn,
  };
}

export const acumaticaConnector: Connector = createAcumaticaConnector();
