/** What flows between nodes. Kept small and plain: a run may move millions of these. */
export type RecordData = Record<string, unknown>;

export interface Lineage {
  /** Id of the source node that read the record. */
  node: string;
  /** The record's key in its source (key field value, else its 1-based position). */
  key: string;
  /** Page number within the source, 0-based; the engine tracks completion and watermarks per page. */
  page: number;
}

export interface FlowRecord {
  data: RecordData;
  /** The record as its source read it; expressions see it as `$source`. Shared, never mutated. */
  readonly source: RecordData;
  readonly lineage: Lineage;
  /** Fields a map node marked "on create only": an update leaves them as the destination has them. */
  createOnly?: readonly string[];
}

export const outcomeStatuses = ['created', 'updated', 'unchanged', 'skipped', 'filtered', 'failed'] as const;
export type OutcomeStatus = (typeof outcomeStatuses)[number];

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * Every record ends with exactly one of these per destination (or lookup, filter) that settles it: a record that
 * passes through two chained destinations has an outcome at each.
 *
 * `result` is what the destination's system answered for the record — its keys, number, etag, the entity as stored —
 * handed to the nodes after a destination's `out` port (chained writes). Absent where there is no answer (files).
 */
export type Outcome =
  | { status: 'created'; targetKey?: string; result?: RecordData }
  | { status: 'updated'; targetKey?: string; changes?: FieldChange[]; result?: RecordData }
  | { status: 'unchanged'; targetKey?: string; result?: RecordData }
  | { status: 'skipped'; reason: string; targetKey?: string; result?: RecordData }
  | { status: 'filtered'; reason: string }
  | { status: 'failed'; error: string };
