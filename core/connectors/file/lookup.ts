/**
 * A CSV or JSON Lines file as a lookup table (a price list, a customer mapping; demos and tests). The file is read
 * once per run, streaming, on the first `find`, into a Map keyed by the matched columns' values; only that index is
 * kept, so a table is bounded by the machine's memory, not the page size — fine for lookup tables, not for a
 * million-row file (read that one as a source instead). Values are compared as text, exactly (the number 30 matches
 * "30"); the first row with a key wins.
 */
import type { RecordData } from '../../engine/record.js';
import type { ConnectorContext, LookupRuntime } from '../types.js';
import { type FileSourceConfig, fileSourceConfigSchema, parseConfig, resolveFile } from './config.js';
import { readCsvPages } from './csv-reader.js';
import { readJsonlPages } from './jsonl.js';
import { assertReadable, fileError } from './source.js';

export const fileLookupConfigSchema = fileSourceConfigSchema.pick({
  path: true,
  format: true,
  delimiter: true,
  encoding: true,
  header: true,
  columns: true,
  types: true,
});
export type FileLookupConfig = ReturnType<typeof fileLookupConfigSchema.parse>;

const keyOf = (values: readonly unknown[]) =>
  JSON.stringify(values.map((v) => (v instanceof Date ? v.toISOString() : v === null ? null : String(v))));

export async function openFileLookup(raw: unknown, ctx: ConnectorContext): Promise<LookupRuntime> {
  const config: FileSourceConfig = parseConfig(fileLookupConfigSchema, raw, 'lookup');
  const file = resolveFile(config, ctx.workspaceDir);
  await assertReadable(file);
  let index: { fields: string; rows: Map<string, RecordData> } | undefined;

  const load = async (fields: string[], signal: AbortSignal) => {
    const rows = new Map<string, RecordData>();
    const read = file.format === 'csv' ? readCsvPages : readJsonlPages;
    let skipped = 0;
    try {
      for await (const page of read(file, config, { pageSize: 1000, signal })) {
        skipped += page.failures?.length ?? 0;
        for (const record of page.records) {
          const key = keyOf(fields.map((f) => record[f]));
          if (!rows.has(key)) rows.set(key, record);
        }
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw fileError(error, file);
    }
    if (skipped > 0) ctx.log.warn(`${file.path}: ${skipped} rows of the lookup table could not be read and are left out`); // prettier-ignore
    return { fields: JSON.stringify(fields), rows };
  };

  return {
    async find(criteria, signal) {
      const out: (RecordData | undefined)[] = [];
      for (const c of criteria) {
        const fields = Object.keys(c);
        // A node matches on one set of columns; should another come, the table is indexed again for it.
        if (index?.fields !== JSON.stringify(fields)) index = await load(fields, signal);
        out.push(index.rows.get(keyOf(fields.map((f) => c[f]))));
      }
      return out;
    },
  };
}
