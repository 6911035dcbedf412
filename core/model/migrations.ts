import { FLOW_SCHEMA_VERSION } from './flow.js';

type Doc = Record<string, unknown>;
export interface Migration {
  from: number;
  to: number;
  description: string;
  migrate(doc: Doc): Doc;
}

/**
 * Flow file migrations keyed by the schemaVersion they upgrade from. Loading runs them in order until the
 * current version; saving writes the current version. A migration must keep fields it does not know.
 */
export const flowMigrations: ReadonlyMap<number, Migration> = new Map([
  [
    1,
    {
      from: 1,
      to: 2,
      description: 'edges as {from:{node,port}, to:{node,port}} instead of "node:port" strings',
      migrate(doc: Doc): Doc {
        const edges = Array.isArray(doc.edges) ? doc.edges : [];
        return {
          ...doc,
          schemaVersion: 2,
          edges: edges.map((edge: unknown) => {
            if (edge === null || typeof edge !== 'object') return edge;
            const { source, target, ...rest } = edge as Doc;
            if (typeof source !== 'string' || typeof target !== 'string') return edge;
            return { ...rest, from: splitPortRef(source, 'out'), to: splitPortRef(target, 'in') };
          }),
        };
      },
    },
  ],
]);

function splitPortRef(ref: string, defaultPort: string): { node: string; port: string } {
  const at = ref.indexOf(':');
  return at < 0 ? { node: ref, port: defaultPort } : { node: ref.slice(0, at), port: ref.slice(at + 1) };
}

export class MigrationError extends Error {}

/** Upgrades a parsed flow document to FLOW_SCHEMA_VERSION; returns the input untouched when already current. */
export function migrateFlow(
  doc: Doc,
  migrations: ReadonlyMap<number, Migration> = flowMigrations,
  target = FLOW_SCHEMA_VERSION,
): Doc {
  let current = doc;
  const declared = current.schemaVersion;
  if (typeof declared !== 'number' || !Number.isInteger(declared)) {
    throw new MigrationError(`schemaVersion: expected an integer, got ${JSON.stringify(declared)}`);
  }
  let version: number = declared;
  if (version > target) {
    throw new MigrationError(
      `schemaVersion: ${version} is newer than this Ferry understands (${target}); update Ferry`,
    );
  }
  while (version < target) {
    const step = migrations.get(version);
    if (!step) throw new MigrationError(`schemaVersion: no migration from version ${version}`);
    current = step.migrate(current);
    version = step.to;
  }
  return current;
}
