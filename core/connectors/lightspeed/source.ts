import type { ConnectorContext, SourceReader } from '../types.js';
import type { LsClient } from './client.js';
import type { LsSourceConfig } from './descriptor.js';
import { SaleLineProducts } from './sale-lines.js';

/**
 * Reads an entity page by page in version order (docs/pagination), so the engine can move the watermark — a
 * version — after every settled page; `since` (a watermark or --since) is the first request's `after`.
 */
export function createSourceReader(
  client: LsClient,
  config: LsSourceConfig,
  ctx: ConnectorContext,
  close: () => Promise<void>,
): SourceReader {
  const entity = client.entity(config.entity);
  const lineProducts = config.lineProducts && entity.name === 'sales' ? new SaleLineProducts(client) : undefined;
  return {
    keyField: entity.key,
    delta: { field: entity.deltaField, ordered: true },
    async *pages(options) {
      const signal = AbortSignal.any([options.signal, ctx.signal]);
      const size = Math.max(1, options.pageSize);
      const query = { since: options.since, pageSize: config.pageSize, deleted: config.deleted, signal };
      for await (const read of client.pages(entity.name, query)) {
        const records = lineProducts ? await lineProducts.addTo(read, signal) : read;
        // The engine's page size bounds memory and watermark steps; page_size bounds requests.
        for (let start = 0; start < records.length; start += size) yield { records: records.slice(start, start + size) }; // prettier-ignore
      }
    },
    close,
  };
}
