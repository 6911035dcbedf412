import { connectedRole } from '../connected-role.js';
import type { Connector } from '../types.js';
import { lightspeedBrowserSignIn } from './browser-sign-in.js';
import { type LsOptions, connect } from './connect.js';
import { testConnection } from './connection-test.js';
import {
  lsConnectionSettingsSchema,
  lsDescriptor,
  lsDestinationConfigSchema,
  lsLookupConfigSchema,
  lsSourceConfigSchema,
} from './descriptor.js';
import { createDestinationWriter } from './destination.js';
import { createLookupRuntime } from './lookup.js';
import { createSourceReader } from './source.js';

export {
  lsConnectionSettingsSchema,
  lsDestinationConfigSchema,
  lsLookupConfigSchema,
  lsSourceConfigSchema,
  type LsConnectionSettings,
  type LsDestinationConfig,
  type LsLookupConfig,
  type LsSourceConfig,
} from './descriptor.js';
export type { LsOptions } from './connect.js';

/**
 * Lightspeed Retail (X-Series). `options` exists for tests (a deterministic clock and jitter); the app uses
 * `lightspeedConnector`.
 */
export function createLightspeedConnector(options: LsOptions = {}): Connector {
  return {
    descriptor: lsDescriptor,
    connectionSettings: lsConnectionSettingsSchema,
    requiresConnection: true,
    source: connectedRole(
      'lightspeed source config',
      lsSourceConfigSchema,
      (ctx) => connect(ctx, options),
      ({ client, close }, config, ctx) => createSourceReader(client, config, ctx, close),
    ),
    destination: connectedRole(
      'lightspeed destination config',
      lsDestinationConfigSchema,
      (ctx) => connect(ctx, options),
      ({ client, close }, config, ctx) => createDestinationWriter(client, config, close, ctx.log),
    ),
    lookup: connectedRole(
      'lightspeed lookup config',
      lsLookupConfigSchema,
      (ctx) => connect(ctx, options),
      ({ client, close }, config) => createLookupRuntime(client, config, close),
    ),
    test: (ctx) => testConnection(ctx, options),
    oauth: lightspeedBrowserSignIn,
  };
}

export const lightspeedConnector: Connector = createLightspeedConnector();
