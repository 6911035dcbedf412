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
 *
 * Lines (`lines`: the field holding a record's lines): the match expressions read each line instead, every line's
 * criteria join the page's one `find`, and the record is found only when every line is — each line then carries its
 * match under `into`. A record with a missing line fails naming the missing values (an order whose SKUs are not all
 * items of the ERP must not be half-imported), or goes to notFound when `whenLineMissing` says so.
 *
 * Every match (`matches: 'all'`, through the connector's `findAll`): `into` holds the list of every match, empty when
 * none, and every record goes on by "found" — a sum or count over the matches (an item's open order lines) needs the
 * record whether or not there are any, and "notFound" would have to be joined back in front of the same map. Only a
 * record whose match values are empty still follows `whenEmpty`: there was nothing to ask. The cache holds non-empty
 * lists (an empty one is a miss, for the reason above) and is bounded by the records it holds, not by entries, as one
 * list may hold thousands. Not with lines (validation refuses the pair): a line lookup is found only when every line
 * is, which "every record on found" contradicts.
 */
import { ConfigError } from '../connectors/errors.js';
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

/**
 * A small LRU on Map's insertion order: a hit moves the entry to the end, the first entry is the eldest. The limit is
 * on the summed weights of the entries (1 each by default; a list of matches weighs its length).
 */
class LruCache<V> {
  private readonly map = new Map<string, V>();
  private total = 0;
  constructor(
    private readonly limit: number,
    private readonly weight: (value: V) => number = () => 1,
  ) {}
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  set(key: string, value: V): void {
    this.delete(key);
    this.map.set(key, value);
    this.total += this.weight(value);
    while (this.total > this.limit) this.delete(this.map.keys().next().value!);
  }
  private delete(key: string): void {
    const old = this.map.get(key);
    if (old === undefined) return;
    this.map.delete(key);
    this.total -= this.weight(old);
  }
}

type Criteria = Record<string, unknown>;
/** A criteria's answer: the first match, or with `matches: 'all'` the list of them. */
type Answer = RecordData | RecordData[];

/** A record's part in a page: failed, or the keys of its lookups (one, or one per line; null = empty values). */
type Plan = { error: string } | { keys: (string | null)[]; lines?: RecordData[] };

export class LookupNode {
  private readonly matches: CompiledMatch[];
  private readonly cache: LruCache<Answer>;
  /** Distinct criteria asked of the connector and answered from the cache (per page); records found / not. */
  readonly counts = { asked: 0, cached: 0, found: 0, notFound: 0 };

  /** `missingLabel` names what a line lookup did not find in its failure ("items not in Business Central"). */
  constructor(
    private readonly config: LookupEngineConfig,
    private readonly runtime: LookupRuntime,
    cacheSize = LOOKUP_CACHE_SIZE,
    private readonly missingLabel = 'no match',
  ) {
    this.matches = compileMatches(config);
    this.cache = new LruCache<Answer>(cacheSize, (answer) => (Array.isArray(answer) ? Math.max(1, answer.length) : 1));
    if (config.matches === 'all' && !runtime.findAll) {
      throw new ConfigError('this connector cannot look up every match (matches "all"); use "first"');
    }
    if (config.matches === 'all' && config.lines !== undefined) {
      throw new ConfigError('matches "all" does not combine with lines; use "first"');
    }
  }

  async run(records: readonly FlowRecord[], signal: AbortSignal): Promise<LookupResult> {
    const result: LookupResult = { found: [], notFound: [], failed: [] };
    // Answers (cached or asked) are held for the page, so an entry the cache evicts while this page's answers go in
    // is still there for the records that need it.
    const plans: Plan[] = [];
    const answers = new Map<string, Answer | undefined>();
    const wanted = new Map<string, Criteria>();
    const misses = new Map<string, Criteria>();
    for (const record of records) plans.push(await this.plan(record, wanted));
    for (const [key, criteria] of wanted) {
      const cached = this.cache.get(key);
      if (cached !== undefined) answers.set(key, cached);
      else misses.set(key, criteria);
    }
    this.counts.cached += answers.size;
    if (misses.size > 0) {
      const asked = [...misses.values()];
      this.counts.asked += asked.length;
      const found: (Answer | undefined)[] =
        this.config.matches === 'all'
          ? await this.runtime.findAll!(asked, signal)
          : await this.runtime.find(asked, signal);
      if (found.length !== asked.length) {
        throw new Error(`the lookup answered ${found.length} results for ${asked.length} criteria`);
      }
      [...misses.keys()].forEach((key, i) => {
        const match = found[i];
        answers.set(key, match);
        // An empty list is a miss: remembered for the page only (see above).
        if (match !== undefined && !(Array.isArray(match) && match.length === 0)) this.cache.set(key, match);
      });
    }
    records.forEach((record, i) => this.settle(record, plans[i]!, answers, result));
    return result;
  }

  private settle(record: FlowRecord, plan: Plan, answers: Map<string, Answer | undefined>, result: LookupResult): void {
    if ('error' in plan) {
      result.failed.push({ record, error: plan.error });
      return;
    }
    const into = this.config.into;
    const matches = plan.keys.map((key) => (key === null ? undefined : answers.get(key)));
    if (this.config.matches === 'all' && plan.keys[0] !== null) {
      this.counts.found++;
      result.found.push({ ...record, data: { ...record.data, [into]: matches[0] ?? [] } });
      return;
    }
    if (plan.lines === undefined) {
      const match = matches[0];
      if (match === undefined) {
        this.counts.notFound++;
        result.notFound.push(record);
      } else {
        this.counts.found++;
        // A new data object: `data` may be the source record itself, which `$source` must keep seeing unchanged.
        result.found.push({ ...record, data: { ...record.data, [into]: match } });
      }
      return;
    }
    const missing = plan.keys.filter((key, i) => matches[i] === undefined).map((key) => missingValue(key));
    if (missing.length === 0) {
      this.counts.found++;
      const lines = plan.lines.map((line, i) => ({ ...line, [into]: matches[i] }));
      result.found.push({ ...record, data: { ...record.data, [this.config.lines!]: lines } });
      return;
    }
    this.counts.notFound++;
    if (this.config.whenLineMissing === 'notFound') result.notFound.push(record);
    else result.failed.push({ record, error: `${this.missingLabel}: ${[...new Set(missing)].join(', ')}` });
  }

  /** A record's lookups: its criteria (or each line's), keyed; each distinct one is added to `wanted`. */
  private async plan(record: FlowRecord, wanted: Map<string, Criteria>): Promise<Plan> {
    const field = this.config.lines;
    const value = field === undefined ? undefined : record.data[field];
    // An order without lines has nothing to check; anything else that is not a list is a mistake in the flow.
    if (field !== undefined && value != null && !Array.isArray(value)) {
      return { error: `lookup: lines: ${field} is not a list` };
    }
    const inputs: unknown[] = field === undefined ? [record.data] : ((value ?? []) as unknown[]);
    const keys: (string | null)[] = [];
    for (const [n, input] of inputs.entries()) {
      const criteria = await this.criteria(input, record);
      if (typeof criteria === 'string')
        return { error: field === undefined ? criteria : `${criteria} (line ${n + 1})` };
      if (criteria === undefined) {
        keys.push(null);
        continue;
      }
      const key = JSON.stringify(canonicalize(this.matches.map((m) => criteria[m.field])));
      keys.push(key);
      if (!wanted.has(key)) wanted.set(key, criteria);
    }
    return field === undefined ? { keys } : { keys, lines: inputs as RecordData[] };
  }

  /** The field → value criteria of an input; undefined when a value is empty; an error text when it cannot be had. */
  private async criteria(input: unknown, record: FlowRecord): Promise<Criteria | string | undefined> {
    const criteria: Criteria = {};
    for (const m of this.matches) {
      let value: unknown;
      try {
        value = m.expression.evaluate(input as RecordData, record.source);
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

/** How a missing line is named: its match values ("SKU-9", "SKU-9 / DE"), or "(empty)" when it had none. */
function missingValue(key: string | null): string {
  if (key === null) return '(empty)';
  return (JSON.parse(key) as unknown[]).map((v) => String(v)).join(' / ');
}
