import { connectedRole } from '../connected-role.js';
import { ConfigError } from '../errors.js';
import type { Connector, ConnectorContext } from '../types.js';
import { type BcOptions, type Connected, connect } from './connect.js';
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
  /** Connects and picks the connection's company; the connection is closed again if that fails. */
  async function connectToCompany(ctx: ConnectorContext): Promise<Connected> {
    const connected = await connect(ctx, options);
    try {
      const company = connected.settings.company;
      if (!company) {
        throw new ConfigError(
          `connection "${ctx.connection?.name}" names no company: run Test connection and choose one of the companies`,
        );
      }
      await connected.client.useCompany(company, ctx.signal);
      return connected;
    } catch (error) {
      await connected.close();
      throw error;
    }
  }
  return {
    descriptor: bcDescriptor,
    connectionSettings: bcConnectionSettingsSchema,
    requiresConnection: true,
    source: connectedRole(
      'business-central source config',
      bcSourceConfigSchema,
      connectToCompany,
      ({ client, close }, config, ctx) => createSourceReader(client, config, ctx, close),
    ),
    destination: connectedRole(
      'business-central destination config',
      bcDestinationConfigSchema,
      connectToCompany,
      ({ client, close }, config) => createDestinationWriter(client, config, close),
    ),
    lookup: {
      ...connectedRole(
        'business-central lookup config',
        bcLookupConfigSchema,
        connectToCompany,
        ({ client, close }, config) => createLookupRuntime(client, config, close),
      ),
      findsAll: true,
    },
    test: (ctx) => testConnection(ctx, options),
  };
}

export const businessCentralConnector: Connector = createBusinessCentralConnector();
