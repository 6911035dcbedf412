/**
 * Workspace files are diffed and merged in git, so every writer must produce the same bytes for the same content:
 * keys a person looks for first come first, in this order; all other keys follow alphabetically.
 */
const LEADING_KEYS = [
  'schemaVersion',
  'id',
  'name',
  'description',
  'connector',
  'kind',
  'type',
  'typeVersion',
  'position',
  'x',
  'y',
  'from',
  'to',
  'node',
  'port',
  'target',
  'expression',
  'mode',
  'connection',
  'entity',
  'operation',
  'settings',
  'secrets',
  'config',
  'nodes',
  'edges',
];
const leadingRank = new Map(LEADING_KEYS.map((k, i) => [k, i]));

function compareKeys(a: string, b: string): number {
  const ra = leadingRank.get(a);
  const rb = leadingRank.get(b);
  if (ra !== undefined && rb !== undefined) return ra - rb;
  if (ra !== undefined) return -1;
  if (rb !== undefined) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function canonicalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareKeys)) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = canonicalize(v);
    }
    return out;
  }
  return value;
}

/** Pretty-printed (2 spaces), canonical key order, trailing newline. */
export function toCanonicalJson(value: unknown): string {
  return `${JSON.stringify(canonicalize(value), null, 2)}\n`;
}
