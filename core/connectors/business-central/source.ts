import { ConfigError } from '../errors.js';
import type { ConnectorContext, SourceReader } from '../types.js';
import type { BcClient } from './client.js';
import type { BcSourceConfig } from './descriptor.js';
import { addPictureContent, hasPictures } from './pictures.js';

/**
 * Reads an entity set page by page. With a delta field the pages come ordered by it (`$orderby`), so the engine
 * can move the watermark after every settled page; the since value goes into `$filter` as `gt`.
 */
export function createSourceReader(
  client: BcClient,
  config: BcSourceConfig,
  ctx: ConnectorContext,
  close: () => Promise<void>,
): SourceReader {
  const set = client.entitySet(config.entity);
  if (config.pictures && !hasPictures(client, set.name)) throw new ConfigError(`pictures: ${set.name} have no picture in Business Central's API version (v2.0 has one picture per record)`); // prettier-ignore
  const expand = config.pictures ? [...new Set([...(config.expand ?? []), 'picture'])] : config.expand;
  return {
    keyField: set.key[0],
    delta: set.deltaField ? { field: set.deltaField, ordered: true } : undefined,
    async *pages(options) {
      const signal = AbortSignal.any([options.signal, ctx.signal]);
      const size = Math.max(1, options.pageSize);
      const query = {
        fields: config.fields,
        expand,
        filter: config.filter,
        since: options.since,
        maxPageSize: config.maxPageSize,
        signal,
      };
      for await (const records of client.pages(config.entity, query)) {
        if (config.pictures) await addPictureContent(client, set.name, records, signal);
        // The engine's page size bounds memory and watermark steps; BC's page size bounds requests.
        for (let start = 0; start < records.length; start += size)
          yield { records: records.slice(start, start + size) };
      }
    },
    close,
  };
}
