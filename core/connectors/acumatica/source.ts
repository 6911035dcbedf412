import type { ConnectorContext, SourceReader } from '../types.js';
import type { AcuClient } from './client.js';
import type { AcuSourceConfig } from './descriptor.js';
import { checkFieldPaths } from './paths.js';

/**
 * Reads a top-level entity page by page (`$top`/`$skip`). The contract API has no `$orderby`, so pages are not
 * ordered by the delta field: the engine moves the watermark once the whole read has settled. Records with
 * composite keys carry them joined as the URL writes them (`SO/000001`) for lineage.
 */
export function createSourceReader(
  client: AcuClient,
  config: AcuSourceConfig,
  ctx: ConnectorContext,
  close: () => Promise<void>,
): SourceReader {
  const entity = client.entity(config.entity);
  checkFieldPaths(client.catalog, entity, [...(config.fields ?? []), ...(config.expand ?? [])]);
  const composite = entity.keys.length > 1;
  return {
    keyField: composite ? undefined : entity.keys[0],
    delta: entity.deltaField ? { field: entity.deltaField, ordered: false } : undefined,
    async *pages(options) {
      const signal = AbortSignal.any([options.signal, ctx.signal]);
      const query = {
        fields: config.fields,
        expand: config.expand,
        custom: config.custom,
        filter: config.filter,
        since: options.since,
        pageSize: config.pageSize,
        signal,
      };
      const size = Math.max(1, options.pageSize);
      for await (const records of client.pages(entity.name, query)) {
        // The engine's page size bounds memory and watermark steps; $top bounds requests.
        for (let start = 0; start < records.length; start += size) {
          const slice = records.slice(start, start + size);
          yield composite
            ? { records: slice, keys: slice.map((r) => entity.keys.map((k) => String(r[k] ?? '')).join('/')) }
            : { records: slice };
        }
      }
    },
    close,
  };
}
