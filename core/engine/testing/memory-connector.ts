import { z } from 'zod';
import { ConnectionError } from '../../connectors/errors.js';
import { formSchema, lookupFormSchema } from '../../connectors/json-schema.js';
import type { Connector, DestinationWriter, SourcePage } from '../../connectors/types.js';
import type { FlowRecord, Outcome, RecordData } from '../record.js';

/**
 * Test-only connector: a source over an in-memory array and a destination that records what it received. Knobs
 * let engine tests script outcomes, failures and crashes precisely; it is never registered in a shipped host.
 */
export interface MemoryWorld {
  sources: Record<string, RecordData[]>;
  /** Per destination node config `target`: records written (dry runs write nothing). */
  written: Record<string, RecordData[]>;
  /** Called for every page the source hands out, before yielding it (observe pulling). */
  onPull?: (source: string, page: number) => void;
  /** Decides a record's outcome; default created. */
  outcome?: (target: string, record: FlowRecord) => Outcome;
  /** Throw from write() when this returns an error (simulated crash / outage). */
  failWrite?: (target: string, batchNo: number) => Error | undefined;
  /** Awaited before each write (slow destination). */
  beforeWrite?: (target: string, batchNo: number) => Promise<void>;
  closed: { target: string; ok: boolean; dryRun: boolean }[];
  /** Lookup tables by name; a lookup node's config `table` names one. */
  tables: Record<string, RecordData[]>;
  /** Every `find` call of a lookup: the criteria it was asked. */
  finds: Record<string, unknown>[][];
  /** Lookups opened and closed, by table. */
  lookupsClosed: string[];
}

export function createWorld(sources: Record<string, RecordData[]> = {}): MemoryWorld {
  return { sources, written: {}, closed: [], tables: {}, finds: [], lookupsClosed: [] };
}

const sourceConfig = z.object({
  dataset: z.string(),
  key: z.string().optional(),
  deltaField: z.string().optional(),
  ordered: z.boolean().optional(),
  /** Records per yielded page; independent of the engine's page size to exercise splitting. */
  chunk: z.number().int().positive().optional(),
  failKeys: z.array(z.string()).optional(),
});
const destinationConfig = z.object({
  target: z.string(),
  entity: z.enum(['customers', 'items', 'salesOrders']).optional(),
  batchSize: z.number().int().positive().optional(),
  transactional: z.boolean().optional(),
});

const lookupConfig = z.object({ table: z.string() });

function compareLoose(a: unknown, b: unknown): number {
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function memoryConnector(world: MemoryWorld): Connector {
  return {
    descriptor: {
      id: 'memory',
      name: 'Memory (tests)',
      description: 'in-memory test connector',
      icon: 'memory',
      nodeKinds: ['source', 'lookup', 'destination'],
      sourceConfigSchema: formSchema(sourceConfig),
      destinationConfigSchema: formSchema(destinationConfig),
      lookupConfigSchema: lookupFormSchema(lookupConfig),
    },
    requiresConnection: false,
    source: {
      configSchema: sourceConfig,
      async open(config) {
        return {
          keyField: config.key,
          delta: config.deltaField ? { field: config.deltaField, ordered: config.ordered ?? false } : undefined,
          async *pages(options): AsyncGenerator<SourcePage> {
            const all = world.sources[config.dataset];
            if (!all) throw new ConnectionError(`dataset ${config.dataset} unreachable`);
            const rows =
              config.deltaField && options.since !== undefined
                ? all.filter((r) => compareLoose(r[config.deltaField!], options.since) > 0)
                : all;
            const size = Math.min(config.chunk ?? options.pageSize, options.pageSize);
            for (let i = 0, page = 0; i < rows.length; i += size, page++) {
              if (options.signal.aborted) return;
              world.onPull?.(config.dataset, page);
              const slice = rows.slice(i, i + size);
              const failures = slice
                .filter((r) => config.failKeys?.includes(String(r[config.key ?? 'id'])))
                .map((r) => ({ key: String(r[config.key ?? 'id']), error: 'unreadable row' }));
              yield {
                records: slice
                  .filter((r) => !config.failKeys?.includes(String(r[config.key ?? 'id'])))
                  .map((r) => ({ ...r })),
                failures,
              };
            }
          },
        };
      },
    },
    lookup: {
      configSchema: lookupConfig,
      findsAll: true,
      async open(config) {
        // Every criteria's matching rows of the table; a call is recorded, an unknown table is unreachable.
        const matching = (criteria: readonly Record<string, unknown>[]) => {
          world.finds.push([...criteria]);
          const rows = world.tables[config.table];
          if (!rows) throw new ConnectionError(`table ${config.table} unreachable`);
          return criteria.map((c) =>
            rows.filter((row) => Object.entries(c).every(([field, value]) => String(row[field]) === String(value))),
          );
        };
        return {
          find: async (criteria) => matching(criteria).map((rows) => rows[0]),
          findAll: async (criteria) => matching(criteria),
          async close() {
            world.lookupsClosed.push(config.table);
          },
        };
      },
    },
    destination: {
      configSchema: destinationConfig,
      async open(config): Promise<DestinationWriter> {
        let batchNo = 0;
        const staged: RecordData[] = [];
        return {
          batchSize: config.batchSize ?? 10,
          transactional: config.transactional,
          async write(batch, options) {
            const n = batchNo++;
            await world.beforeWrite?.(config.target, n);
            const error = world.failWrite?.(config.target, n);
            if (error) throw error;
            const outcomes = batch.map((r) => world.outcome?.(config.target, r) ?? ({ status: 'created' } as Outcome));
            if (!options.dryRun) {
              const sink = config.transactional ? staged : (world.written[config.target] ??= []);
              batch.forEach((r, i) => {
                const o = outcomes[i]!;
                if (o.status === 'created' || o.status === 'updated') sink.push(r.data);
              });
            }
            return outcomes;
          },
          async close(result) {
            world.closed.push({ target: config.target, ...result });
            if (result.ok && !result.dryRun && config.transactional)
              (world.written[config.target] ??= []).push(...staged);
          },
        };
      },
    },
  };
}
