import { z } from 'zod';
import { idSchema } from './json-value.js';

export const CONNECTION_SCHEMA_VERSION = 1;

/** Most ERP APIs allow a few dozen parallel sessions per licence; 25 keeps one workspace from taking them all. */
export const MAX_CONCURRENCY = 25;
export const DEFAULT_CONCURRENCY = 4;

/** A secret is never in the file: the file names the secret's id; the value lives in the keychain (or env / vault). */
export const secretRefSchema = z.looseObject({ secret: z.string().min(1) });
export type SecretRef = z.infer<typeof secretRefSchema>;

export const connectionFileSchema = z.looseObject({
  schemaVersion: z.literal(CONNECTION_SCHEMA_VERSION),
  id: idSchema,
  name: z.string().min(1),
  connector: z.string().min(1),
  /** Non-secret settings, validated by the connector's descriptor. */
  settings: z.record(z.string(), z.unknown()),
  /** field name → secret reference. */
  secrets: z.record(z.string(), secretRefSchema).optional(),
  /**
   * The connection's concurrency pool, shared by every flow running in the process: at most `level` requests in
   * flight (1–25; absent: the connector's default). `borrowFrom` names another connection whose pool this one uses
   * instead (its level then applies); the lender must not borrow itself, so pools never chain.
   */
  concurrency: z
    .looseObject({
      level: z.number().int().min(1).max(MAX_CONCURRENCY).optional(),
      borrowFrom: idSchema.optional(),
    })
    .optional(),
});
export type ConnectionFile = z.infer<typeof connectionFileSchema>;

/** The keychain account of a connection's secret field: `<workspace-id>/<connection-id>/<field>`. */
export function secretAccount(workspaceId: string, connectionId: string, field: string): string {
  return `${workspaceId}/${connectionId}/${field}`;
}

/**
 * What is wrong with a connection's `concurrency.borrowFrom`, if anything: the lender must exist, be another
 * connection and not borrow itself (one level of borrowing keeps "whose pool is this" obvious in the UI).
 */
export function borrowProblem(
  connection: ConnectionFile,
  connections: ReadonlyMap<string, ConnectionFile>,
): string | undefined {
  const lenderId = connection.concurrency?.borrowFrom;
  if (lenderId === undefined) return undefined;
  if (lenderId === connection.id) return 'a connection cannot borrow concurrency from itself';
  const lender = connections.get(lenderId);
  if (!lender) {
    const others = [...connections.keys()].filter((id) => id !== connection.id);
    return others.length
      ? `unknown connection "${lenderId}": expected one of ${others.join(', ')}`
      : `unknown connection "${lenderId}"`;
  }
  const further = lender.concurrency?.borrowFrom;
  if (further !== undefined) {
    return `"${lenderId}" borrows concurrency from "${further}" itself: borrow from "${further}" directly`;
  }
  return undefined;
}

/** The connection whose pool `connection` uses: the lender when it borrows (validated by borrowProblem), else itself. */
export function poolOwner(
  connection: ConnectionFile,
  connections: ReadonlyMap<string, ConnectionFile>,
): ConnectionFile {
  const lenderId = connection.concurrency?.borrowFrom;
  if (lenderId === undefined || borrowProblem(connection, connections) !== undefined) return connection;
  return connections.get(lenderId) ?? connection;
}
