/**
 * Compiles JSONata expressions into synchronous JS closures for the subset map and filter nodes use most, while
 * keeping JSONata's semantics exactly. This is the entry point; the work is split as:
 * - jsonata-ast.ts: the AST node shapes the fast path accepts (anything else is Unsupported: left to JSONata);
 * - compile-ast.ts: JSONata's AST → closure tree;
 * - expression-functions.ts: the supported `$functions`;
 * - jsonata-semantics.ts: the copies of JSONata's runtime algorithms the closures rely on;
 * - property-access.ts: per-name property accessors that keep V8's field loads monomorphic.
 *
 * How exactness is kept: the closure tree replicates JSONata (2.2.x, `node_modules/jsonata/jsonata.js`) only for the
 * "happy" cases it fully understands. Whenever it meets anything else at runtime — an array on a path (JSONata maps
 * and flattens sequences), a non-plain object, a non-finite number, an argument of the wrong type, any condition
 * under which JSONata would throw — it abandons that evaluation (throws an internal signal) and the record is
 * evaluated again by the real JSONata evaluator. So a value the fast path returns is always the value JSONata returns,
 * and every error is produced by JSONata itself. The subset is side-effect free, so re-evaluating is harmless.
 */
import jsonata from 'jsonata';
import { compileTree, type CompiledTree } from './compile-ast.js';
import { toExpressionError } from './expression-error.js';
import { simpleFieldOf, Unsupported } from './jsonata-ast.js';

export { ExpressionError, toExpressionError } from './expression-error.js';
export { formatJsonataNumber, isPlainRoot, jsonataRound, jsonataTruthy } from './jsonata-semantics.js';

/** Returned by {@link CompiledExpression.trySync} when this input needs the JSONata evaluator. */
export const NEEDS_JSONATA: unique symbol = Symbol('ferry.needsJsonata');

export interface CompiledExpression {
  readonly source: string;
  /** True when the whole expression compiled to the fast closure tree (records may still fall back one by one). */
  readonly fast: boolean;
  /** Why the expression is evaluated by JSONata only (set when `fast` is false). */
  readonly slowReason?: string;
  /**
   * Evaluates against `input` (JSONata's `$`) with `$source` bound to `sourceRecord`. Returns the value synchronously
   * on the fast path, a Promise only when the JSONata evaluator was needed. Errors are {@link ExpressionError}s.
   */
  evaluate(input: Record<string, unknown>, sourceRecord: Record<string, unknown>): unknown;
  /** The fast path only: the value, or {@link NEEDS_JSONATA}. Never throws. */
  trySync(input: Record<string, unknown>, sourceRecord: Record<string, unknown>): unknown;
  /** The JSONata evaluator only; rejects with an {@link ExpressionError}. */
  evaluateAsync(input: Record<string, unknown>, sourceRecord: Record<string, unknown>): Promise<unknown>;
  /**
   * Engine hot path (set when `fast`): the raw fast closure. The caller guarantees that the input (when
   * `trustsInput`) and the source record (when `trustsSource`) pass {@link isPlainRoot} — checked once per record
   * instead of once per expression — and catches: it throws whenever this input needs the JSONata evaluator. Never
   * use its exceptions as errors.
   */
  readonly syncTrusted?: (input: Record<string, unknown>, sourceRecord: Record<string, unknown>) => unknown;
  /** `syncTrusted` looks into the input / the source record without checking it (set when `fast`). */
  readonly trustsInput?: boolean;
  readonly trustsSource?: boolean;
  /** Set when the expression is just a top-level field name (`sku`): engines may copy that property directly. */
  readonly simpleField?: string;
}

/**
 * Compiled expressions by source text. The editor re-validates the whole flow after every edit and big flows repeat
 * expressions, so each distinct text is parsed and compiled once. Compiled expressions hold no per-use state.
 */
const compiled = new Map<string, CompiledExpression>();
const CACHE_LIMIT = 5000;

export function compileExpression(source: string): CompiledExpression {
  const hit = compiled.get(source);
  if (hit) return hit;
  const result = compileUncached(source);
  if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value!);
  compiled.set(source, result);
  return result;
}

function compileUncached(source: string): CompiledExpression {
  let expr: jsonata.Expression;
  try {
    expr = jsonata(source);
  } catch (err) {
    throw toExpressionError(err, true);
  }

  const evaluateAsync = async (input: Record<string, unknown>, sourceRecord: Record<string, unknown>) => {
    try {
      return (await expr.evaluate(input, { source: sourceRecord })) as unknown;
    } catch (err) {
      throw toExpressionError(err);
    }
  };

  // Two trees: `checked` checks `$` and `$source` itself (trySync, evaluate); `trusted` relies on the engine checking
  // them once per record for all fields (syncTrusted).
  const ast: unknown = expr.ast();
  let checked: CompiledTree;
  let trusted: CompiledTree;
  try {
    checked = compileTree(ast, false);
    trusted = compileTree(ast, true);
  } catch (err) {
    if (!(err instanceof Unsupported)) throw err;
    return {
      source,
      fast: false,
      slowReason: err.message,
      evaluate: evaluateAsync,
      trySync: () => NEEDS_JSONATA,
      evaluateAsync,
    };
  }

  const evaluateChecked = checked.evaluate;
  const trySync = (input: Record<string, unknown>, sourceRecord: Record<string, unknown>): unknown => {
    try {
      return evaluateChecked(input, sourceRecord);
    } catch {
      return NEEDS_JSONATA;
    }
  };
  return {
    source,
    fast: true,
    evaluate(input, sourceRecord) {
      const value = trySync(input, sourceRecord);
      return value === NEEDS_JSONATA ? evaluateAsync(input, sourceRecord) : value;
    },
    trySync,
    evaluateAsync,
    syncTrusted: trusted.evaluate,
    trustsInput: trusted.readsInput,
    trustsSource: trusted.readsSource,
    simpleField: simpleFieldOf(ast),
  };
}
