/**
 * The lookup node: per page, each record's match values are evaluated, the distinct ones not in the run's cache are
 * asked of the connector in one `find` call, and each record leaves by "found" (its data enriched with the match
 * under `into`) or "notFound" (unchanged).
 *
 * Cache: found matches are kept for the run, keyed by the canonical JSON of the match values, so a customer looked up
 * for every one of its orders costs one request. It is an LRU of LOOKUP_CACHE_SIZE entries: a run over millions of
 * orders with hundreds of thousands of customers would otherwise hold every match in memory, while repeat customers
 * cluster enough in practice for the recent ones to be the useful ones. Misses are not cached beyond their page:
 * a flow commonly creates what it did not find (lookup → notFound → create customer), and a remembered miss would
 * send the next record of that customer to be created again.
 */
import type { LookupRuntime } from '../connectors/types.js';
import { compileExpression, type CompiledExpression, toExpressionError } from '../mapping/index.js';
import { canonicalize } from '../model/canonical-json.js';
import type { LookupEngineConfig } from '../model/lookup.js';
import { ValidationError } from '../model/validation-error.js';
import type { FlowRecord, RecordData } from './record.js';

export const LOOKUP_CACHE_SIZE = 5000;

export interface LookupResult {
  found: FlowRecord[];
  notFound: FlowRecord[];
  failed: { record: FlowRecord; error: string }[];
}

interface CompiledMatch {
  field: string;
  expression: CompiledExpression;
}

/** Compiles the match expressions; problems name the config path (`nodes[2].config.match[0].expression`). */
export function compileMatches(
  config: Pick<LookupEngineConfig, 'match'>,
  where?: { file?: string; path?: string },
): CompiledMatch[] {
  const problems = [];
  const out: CompiledMatch[] = [];
  for (const [i, m] of config.match.entries()) {
    try {
      out.push({ field: m.field, expression: compileExpression(m.expression) });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      problems.push({ file: where?.file, path: `${where?.path ?? 'config'}.match[${i}].expression`, message });
    }
  }
  if (problems.length) throw new ValidationError(problems);
  return out;
}

/** A small LRU on Map's insertion order: a hit moves the entry to the end, the first entry is the eldest. */
class LruCache<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
}

type Criteria = Record<string, unknown>;
const FAILED = Symbol('failed');
const EMPTY = Symbol('empty');

export class LookupNode {
  private readonly matches: CompiledMatch[];
  private readonly cache: LruCache<RecordData>;
  /** Distinct criteria asked of the connector and answered from the cache (per page); records found / not. */
  readonly counts = { asked: 0, cached: 0, found: 0, notFound: 0 };

  constructor(
    private readonly config: LookupEngineConfig,
    private readonly runtime: LookupRuntime,
    cacheSize = LOOKUP_CACHE_SIZE,
  ) {
    this.matches = compileMatches(config);
    this.cache = new LruCache(cacheSize);
  }

  async run(records: readonly FlowRecord[], signal: AbortSignal): Promise<LookupResult> {
    const result: LookupResult = { found: [], notFound: [], failed: [] };
    // Per record: its criteria's key, or FAILED / EMPTY. Answers (cached or asked) are held for the page, so an
    // entry the cache evicts while this page's answers go in is still there for the records that need it.
    const keys = new Array<string | typeof FAILED | typeof EMPTY>(records.length);
    const answers = new Map<string, RecordData | undefined>();
    const misses = new Map<string, Criteria>();
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      const criteria = await this.criteria(record);
      if (typeof criteria === 'string') {
        keys[i] = FAILED;
        result.failed.push({ record, error: criteria });
        continue;
      }
      if (criteria === undefined) {
        keys[i] = EMPTY;
        continue;
      }
      const key = JSON.stringify(canonicalize(this.matches.map((m) => criteria[m.field])));
      keys[i] = key;
      if (answers.has(key) || misses.has(key)) continue;
      const cached = this.cache.get(key);
      if (cached !== undefined) answers.set(key, cached);
      else misses.set(key, criteria);
    }
    this.counts.cached += answers.size;
    if (misses.size > 0) {
      const asked = [...misses.values()];
      this.counts.asked += asked.length;
      const found = await this.runtime.find(asked, signal);
      if (found.length !== asked.length) {
        throw new Error(`the lookup answered ${found.length} results for ${asked.length} criteria`);
      }
      [...misses.keys()].forEach((key, i) => {
        const match = found[i];
        answers.set(key, match);
        if (match !== undefined) this.cache.set(key, match);
      });
    }
    const into = this.config.into;
    for (let i = 0; i < records.length; i++) {
      const key = keys[i]!;
      const record = records[i]!;
      if (key === FAILED) continue;
      const match = key === EMPTY ? undefined : answers.get(key);
      if (match === undefined) {
        this.counts.notFound++;
        result.notFound.push(record);
      } else {
        this.counts.found++;
        // A new data object: `data` may be the source record itself, which `$source` must keep seeing unchanged.
        result.found.push({ ...record, data: { ...record.data, [into]: match } });
      }
    }
    return result;
  }

  /** The field → value criteria of a record; undefined when a value is empty; an error text when it cannot be had. */
  private async criteria(record: FlowRecord): Promise<Criteria | string | undefined> {
    const criteria: Criteria = {};
    for (const m of this.matches) {
      let value: unknown;
      try {
        value = m.expression.evaluate(record.data, record.source);
        if (value instanceof Promise) value = await value;
      } catch (error) {
        return `lookup: match ${m.field}: ${toExpressionError(error).message}`;
      }
      if (value === undefined || value === null || value === '') {
        if (this.config.whenEmpty === 'fail') {
          return `lookup: match ${m.field}: ${m.expression.source} gave no value to look up`;
        }
        return undefined;
      }
      if (typeof value === 'object' && !(value instanceof Date)) {
        const what = Array.isArray(value) ? 'a list' : 'an object';
        return `lookup: match ${m.field}: ${m.expression.source} gave ${what}, expected one value`;
      }
      criteria[m.field] = value;
    }
    return criteria;
  }
}
