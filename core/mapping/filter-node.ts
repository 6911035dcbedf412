import type { FlowRecord } from '../engine/record.js';
import type { FilterConfig } from '../model/mapping.js';
import { ValidationError } from '../model/validation-error.js';
import {
  compileExpression,
  isPlainRoot,
  jsonataTruthy,
  NEEDS_JSONATA,
  toExpressionError,
  type CompiledExpression,
} from './compile-expression.js';
import { joinPath, type ConfigLocation } from './config-location.js';
import { compileRuleFilter } from './filter-rules-node.js';

export interface CompiledFilter {
  /**
   * Calls `pass`, `reject` or `fail` for each record, in input order. Returns void when every record was decided
   * synchronously, a Promise when the expression needed the JSONata evaluator for some record.
   */
  run(
    records: readonly FlowRecord[],
    pass: (record: FlowRecord) => void,
    reject: (record: FlowRecord, reason: string) => void,
    fail: (record: FlowRecord, error: string) => void,
  ): void | Promise<void>;
}

/**
 * A rule-builder config (`rules`) is compiled by {@link compileRuleFilter}. For an expression, a record passes when
 * the expression's value is true under JSONata's `$boolean` cast — the cast JSONata's own
 * predicate filters (`items[price > 10]`) apply: `true`, a non-empty string, a non-zero number, a non-empty object or
 * an array holding such a value pass; `false`, nothing, null, "", 0 and {} are rejected.
 */
export function compileFilter(config: FilterConfig, where?: ConfigLocation): CompiledFilter {
  if (config.rules !== undefined && config.expression === undefined) return compileRuleFilter(config.rules, where);
  const path = joinPath(where?.path, '.expression');
  let expression: CompiledExpression;
  if (typeof config.expression !== 'string' || config.expression.trim() === '') {
    throw new ValidationError([{ file: where?.file, path, message: 'must not be empty' }]);
  }
  try {
    expression = compileExpression(config.expression);
  } catch (err) {
    throw new ValidationError([{ file: where?.file, path, message: err instanceof Error ? err.message : String(err) }]);
  }
  const rejectReason = `filter: ${expression.source} is false`;
  const failure = (err: unknown) => `filter: ${expression.source}: ${toExpressionError(err).message}`;

  const decide = (
    record: FlowRecord,
    value: unknown,
    pass: (record: FlowRecord) => void,
    reject: (record: FlowRecord, reason: string) => void,
    fail: (record: FlowRecord, error: string) => void,
  ) => {
    let ok: boolean;
    if (value === true) ok = true;
    else if (value === false || value === undefined) ok = false;
    else {
      try {
        ok = jsonataTruthy(value);
      } catch (err) {
        fail(record, failure(err));
        return;
      }
    }
    if (ok) pass(record);
    else reject(record, rejectReason);
  };

  const slow = async (
    record: FlowRecord,
    pass: (record: FlowRecord) => void,
    reject: (record: FlowRecord, reason: string) => void,
    fail: (record: FlowRecord, error: string) => void,
  ): Promise<void> => {
    let value: unknown;
    try {
      value = await expression.evaluateAsync(record.data, record.source);
    } catch (err) {
      fail(record, failure(err));
      return;
    }
    decide(record, value, pass, reject, fail);
  };

  const trusted = expression.syncTrusted;
  /** The fast path for one record, or NEEDS_JSONATA. */
  const trySync = (record: FlowRecord): unknown => {
    const d = record.data;
    const s = record.source;
    if (
      trusted === undefined ||
      (expression.trustsInput === true && !isPlainRoot(d)) ||
      (expression.trustsSource === true && s !== d && !isPlainRoot(s))
    )
      return expression.trySync(d, s);
    try {
      return trusted(d, s);
    } catch {
      return NEEDS_JSONATA;
    }
  };

  return {
    run(records, pass, reject, fail) {
      for (let i = 0; i < records.length; i++) {
        const record = records[i]!;
        const value = trySync(record);
        if (value === NEEDS_JSONATA) return continueAsync(i);
        decide(record, value, pass, reject, fail);
      }
      return undefined;

      async function continueAsync(from: number): Promise<void> {
        for (let i = from; i < records.length; i++) {
          const record = records[i]!;
          const value = i === from ? NEEDS_JSONATA : trySync(record);
          if (value === NEEDS_JSONATA) await slow(record, pass, reject, fail);
          else decide(record, value, pass, reject, fail);
        }
      }
    },
  };
}
