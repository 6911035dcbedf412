/**
 * The destination operations every connector offers, and the one decision they all take per record, so the
 * behaviour and the words in the run history are the same whatever system is written to:
 *
 * | operation  | record exists            | record does not exist      |
 * |------------|--------------------------|----------------------------|
 * | create     | failed "already exists"  | created                    |
 * | update     | updated                  | failed "does not exist"    |
 * | upsert     | updated                  | created                    |
 * | createOnly | skipped "already exists" | created                    |
 * | updateOnly | updated                  | skipped "does not exist" (+ a run warning) |
 *
 * `create` and `update` send without asking first and learn from the target's refusal (a duplicate key, a missing
 * id); the other three need to know beforehand (a key index or a conditional request). An update never sends the
 * record's create-only fields (`FlowRecord.createOnly`).
 */
import { z } from 'zod';

export const writeOperations = ['create', 'update', 'upsert', 'createOnly', 'updateOnly'] as const;
export type WriteOperation = (typeof writeOperations)[number];

/** What the settings panel shows for each value (the file keeps the value). */
export const writeOperationLabels: Record<WriteOperation, string> = {
  create: 'Create (an existing record fails)',
  update: 'Update (a missing record fails)',
  upsert: 'Create or update, by key',
  createOnly: 'Create only (existing records are skipped)',
  updateOnly: 'Update only (missing records are skipped, with a warning)',
};

/** The reasons and errors of the table above, word for word. */
export const ALREADY_EXISTS = 'already exists';
export const DOES_NOT_EXIST = 'does not exist';

export type WriteDecision =
  { action: 'create' } | { action: 'update' } | { action: 'skip'; reason: string } | { action: 'fail'; reason: string };

/** The table above: what to do with one record, given whether the target holds it. */
export function decideWrite(operation: WriteOperation, exists: boolean): WriteDecision {
  switch (operation) {
    case 'create':
      return exists ? { action: 'fail', reason: ALREADY_EXISTS } : { action: 'create' };
    case 'createOnly':
      return exists ? { action: 'skip', reason: ALREADY_EXISTS } : { action: 'create' };
    case 'update':
      return exists ? { action: 'update' } : { action: 'fail', reason: DOES_NOT_EXIST };
    case 'updateOnly':
      return exists ? { action: 'update' } : { action: 'skip', reason: DOES_NOT_EXIST };
    case 'upsert':
      return exists ? { action: 'update' } : { action: 'create' };
  }
}

/** Whether the writer must know if a record exists before sending it (create/update learn it from the answer). */
export function decidesBeforeSending(operation: WriteOperation): boolean {
  return operation === 'upsert' || operation === 'createOnly' || operation === 'updateOnly';
}

/** The kinds of write an operation can lead to, for checking an entity's capabilities before a run. */
export function writesNeeded(operation: WriteOperation): ('create' | 'update')[] {
  if (operation === 'create' || operation === 'createOnly') return ['create'];
  if (operation === 'update' || operation === 'updateOnly') return ['update'];
  return ['create', 'update'];
}

/** A failed outcome's error for a refusal the table decides: "already exists: <the target's own words>". */
export function refusalText(reason: string, detail?: string): string {
  return detail ? `${reason}: ${detail}` : reason;
}

/** The run warning for records an update-only destination skipped because the target does not hold them. */
export function missingRecordsWarning(nodeId: string, count: number): string {
  const records = count === 1 ? '1 record' : `${count.toLocaleString('en-US')} records`;
  return `destination "${nodeId}": ${records} ${count === 1 ? 'does' : 'do'} not exist in the target and ${count === 1 ? 'was' : 'were'} skipped (operation updateOnly)`;
}

interface OperationFieldOptions {
  default: WriteOperation;
  /**
   * Values a connector stored before this set existed whose meaning differs from the shared one: they keep that
   * meaning (a shipped meaning never changes) and are still accepted, read as the operation named here.
   */
  legacy?: Partial<Record<WriteOperation, { means: WriteOperation; label: string }>>;
  description?: string;
}

/**
 * The `operation` field of a destination config: the shared values with their labels (`enumLabels`, read by the
 * settings panel), parsed to a {@link WriteOperation}.
 */
export function writeOperationField(options: OperationFieldOptions) {
  const legacy = options.legacy ?? {};
  const labels = Object.fromEntries(
    writeOperations.map((op) => [op, legacy[op] ? legacy[op].label : writeOperationLabels[op]]),
  );
  return z
    .enum(writeOperations)
    .default(options.default)
    .transform((op): WriteOperation => legacy[op]?.means ?? op)
    .meta({
      description:
        options.description ??
        'What to do with a record the target already holds, or does not: see each choice. upsert and the “only” ' +
          'choices find existing records by the key.',
      enumLabels: labels,
    });
}
