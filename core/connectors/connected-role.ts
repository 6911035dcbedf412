import type { z } from 'zod';
import { parseConfig } from './errors.js';
import type { ConnectorContext, NodeRole } from './types.js';

/**
 * A node role of a connector whose nodes each hold a connection (a transport, a signed-in session): the config is
 * checked first, then the connection opened and the role built on it. A build that fails closes the connection
 * again, so a bad config never leaves a session open or a licence seat taken.
 */
export function connectedRole<C extends { close(): Promise<void> }, Config, R>(
  what: string,
  configSchema: z.ZodType<Config>,
  connect: (ctx: ConnectorContext) => Promise<C>,
  build: (connected: C, config: Config, ctx: ConnectorContext) => R | Promise<R>,
): NodeRole<Config, R> {
  return {
    configSchema,
    async open(config: unknown, ctx: ConnectorContext) {
      const parsed = parseConfig(configSchema, config, what);
      const connected = await connect(ctx);
      try {
        return await build(connected, parsed, ctx);
      } catch (error) {
        await connected.close();
        throw error;
      }
    },
  };
}
