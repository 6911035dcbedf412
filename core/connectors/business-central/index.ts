import { ConfigError } from '../errors.js';
import type { Connector, ConnectorContext } from '../types.js';
import { type BcOptions, type Connected, connect, parseConfig } from './connect.js';
import { testConnection } from './connection-test.js';
import {
  bcConnectionSettingsSchema,
  bcDescriptor,
  bcDestinationConfigSchema,
  bcLookupConfigSchema,
  bcSourceConfigSchema,
} from './descriptor.js';
import { createDestinationWriter } from './destination.js';
import { createLookupRuntime } from './lookup.js';
import { createSourceReader } from './source.js';

export {
  bcConnectionSettingsSchema,
  bcDestinationConfigSchema,
  bcLookupConfigSchema,
  bcSourceConfigSchema,
  type BcConnectionSettings,
  type BcDestinationConfig,
  type BcLookupConfig,
  type BcSourceConfig,
} from './descriptor.js';
export type { BcOptions } from './connect.js';

/**
 * Microsoft Dynamics 365 Business Central, online and on premises. `options` exists for tests (a deterministic
 * clock and jitter); the app uses `businessCentralConnector`.
 */
export function createBusinessCentralConnector(options: BcOptions = {}): Connector {
  /** Connects, picks the company and builds the role; the connection is closed again if that fails. */
  async function open<T>(ctx: ConnectorContext, build: (connected: Connected) => T): Promise<T> {
    const connected = await connect(ctx, options);
    try {
      const company = connected.settings.company;
      if (!company) {
        throw new ConfigError(
          `connection "${ctx.connection?.name}" names no company: run Test connection and choose one of the companies`,
        );
      }
      await connected.client.useCompany(company, ctx.signal);
      return build(connected);
    } catch (error) {
      await connected.close();
      throw error;
    }
  }
  return {
    descriptor: bcDescriptor,
    connectionSettings: bcConnectionSettingsSchema,
    requiresConnection: true,
    source: {
      configSchema: bcSourceConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(bcSourceConfigSchema, config, 'business-central source config');
        return open(ctx, ({ client, close }) => createSourceReader(client, parsed, ctx, close));
      },
    },
    destination: {
      configSchema: bcDestinationConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(bcDestinationConfigSchema, config, 'business-central destination config');
        return open(ctx, ({ client, close }) => createDestinationWriter(client, parsed, close));
      },
    },
    lookup: {
      configSchema: bcLookupConfigSchema,
      async open(config: unknown, ctx: ConnectorContext) {
        const parsed = parseConfig(bcLookupConfigSchema, config, 'business-central lookup config');
        return open(ctx, ({ client, close }) => createLookupRuntime(client, parsed, close));
      },
    },
    test: (ctx) => testConnection(ctx, options),
  };
}

export const businessCentralConnector: Connector = createBusinessCentralConnector();
