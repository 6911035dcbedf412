import { parseConfig } from '../errors.js';
import type { Connector, ConnectorContext } from '../types.js';
import { lightspeedBrowserSignIn } from './browser-sign-in.js';
import { type Connected, type LsOptions, connect } from './connect.js';
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
  /** Connects and builds the role; the transport is closed if building fails. */
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
    descriptor: lsDescriptor,
    connectionSettings: lsConnectionSettingsSchema,
    requiresConnection: true,
    source: {
      configSchema: lsSourceConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(lsSourceConfigSchema, config, 'lightspeed source config');
        return open(ctx, ({ client, close }) => createSourceReader(client, parsed, ctx, close));
      },
    },
    destination: {
      configSchema: lsDestinationConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(lsDestinationConfigSchema, config, 'lightspeed destination config');
        return open(ctx, ({ client, close }) => createDestinationWriter(client, parsed, close));
      },
    },
    lookup: {
      configSchema: lsLookupConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(lsLookupConfigSchema, config, 'lightspeed lookup config');
        return open(ctx, ({ client, close }) => createLookupRuntime(client, parsed, close));
      },
    },
    test: (ctx) => testConnection(ctx, options),
    oauth: lightspeedBrowserSignIn,
  };
}

export const lightspeedConnector: Connector = createLightspeedConnector();
