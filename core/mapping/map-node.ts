import type { FlowRecord, RecordData } from '../engine/record.js';
import type { MapConfig } from '../model/mapping.js';
import { ValidationError, type ValidationProblem } from '../model/validation-error.js';
import {
  compileExpression,
  isPlainRoot,
  NEEDS_JSONATA,
  toExpressionError,
  type CompiledExpression,
} from './compile-expression.js';
import { joinPath, type ConfigLocation } from './config-location.js';
import { copierFor, setterFor, type Copier, type Setter } from './property-access.js';

export { joinPath, type ConfigLocation };

export interface CompiledMap {
  /**
   * Maps each record and calls `emit` (or `fail`) for it, in input order. Returns void when every record was mapped
   * synchronously, a Promise when some expression needed the JSONata evaluator.
   */
  run(
    records: readonly FlowRecord[],
    emit: (record: FlowRecord) => void,
    fail: (record: FlowRecord, error: string) => void,
  ): void | Promise<void>;
}

interface CompiledField {
  target: string;
  /** Target split on dots; undefined for a top-level target. */
  nested: readonly string[] | undefined;
  /** Writes a top-level target; undefined for a nested one. */
  set: Setter | undefined;
  /** A plain rename of a top-level field (no default): copies primitives directly, see {@link copierFor}. */
  copy: Copier | undefined;
  expression: CompiledExpression;
  hasDefault: boolean;
  defaultValue: unknown;
  /** The default is an object or array: each record gets its own copy. */
  cloneDefault: boolean;
}

export function compileMap(config: MapConfig, where?: ConfigLocation): CompiledMap {
  const problems: ValidationProblem[] = [];
  const problem = (rest: string, message: string) =>
    problems.push({ file: where?.file, path: joinPath(where?.path, rest), message });

  const fields: CompiledField[] = [];
  const createOnly: string[] = [];
  const seen = new Map<string, number>();
  config.fields.forEach((field, i) => {
    const target = typeof field.target === 'string' ? field.target : '';
    if (target.trim() === '') {
      problem(`.fields[${i}].target`, 'must not be empty');
    } else if (target.split('.').some((part) => part === '')) {
      problem(`.fields[${i}].target`, `invalid target "${target}": empty name between dots`);
    } else if (seen.has(target)) {
      problem(`.fields[${i}].target`, `duplicate target "${target}" (also fields[${seen.get(target)}])`);
    } else {
      for (const [other, j] of seen) {
        if (target.startsWith(`${other}.`) || other.startsWith(`${target}.`)) {
          problem(`.fields[${i}].target`, `target "${target}" conflicts with "${other}" (fields[${j}])`);
          break;
        }
      }
      seen.set(target, i);
    }

    let expression: CompiledExpression | undefined;
    if (typeof field.expression !== 'string' || field.expression.trim() === '') {
      problem(`.fields[${i}].expression`, 'must not be empty');
    } else {
      try {
        expression = compileExpression(field.expression);
      } catch (err) {
        problem(`.fields[${i}].expression`, err instanceof Error ? err.message : String(err));
      }
    }
    if (!expression) return;
    const hasDefault = field.default !== undefined;
    const simple = expression.simpleField;
    fields.push({
      copy:
        simple !== undefined && !hasDefault && !target.includes('.') && target !== '__proto__'
          ? copierFor(simple, target)
          : undefined,
      target,
      nested: target.includes('.') ? target.split('.') : undefined,
      set: target.includes('.') ? undefined : target === '__proto__' ? defineOwn(target) : setterFor(target),
      expression,
      hasDefault,
      defaultValue: field.default,
      cloneDefault: hasDefault && typeof field.default === 'object' && field.default !== null,
    });
    if (field.apply === 'createOnly') createOnly.push(target);
  });
  if (problems.length > 0) throw new ValidationError(problems);

  const keepUnmapped = config.keepUnmapped === true;
  const sharedCreateOnly: readonly string[] | undefined = createOnly.length > 0 ? Object.freeze(createOnly) : undefined;
  const nFields = fields.length;
  const trackOwned = keepUnmapped && fields.some((f) => f.nested !== undefined);

  const output = (record: FlowRecord, data: RecordData): FlowRecord =>
    sharedCreateOnly
      ? { data, source: record.source, lineage: record.lineage, createOnly: sharedCreateOnly }
      : { data, source: record.source, lineage: record.lineage };

  const failure = (field: CompiledField, err: unknown) =>
    `${field.target}: ${field.expression.source}: ${toExpressionError(err).message}`;

  /** Stores one field's value (after defaults) into `out`. */
  const store = (out: RecordData, field: CompiledField, value: unknown, owned: Set<object> | undefined) => {
    if (field.hasDefault && (value === undefined || value === null || value === '')) {
      value = field.cloneDefault ? structuredClone(field.defaultValue) : field.defaultValue;
    }
    if (field.set !== undefined) {
      if (value !== undefined) field.set(out, value);
      else if (keepUnmapped) delete out[field.target];
      return;
    }
    setNested(out, field.nested!, value, owned);
  };

  /** Finishes a record from field `from` on, awaiting the JSONata evaluator where needed. */
  const finishAsync = async (
    record: FlowRecord,
    out: RecordData,
    from: number,
    owned: Set<object> | undefined,
    emit: (record: FlowRecord) => void,
    fail: (record: FlowRecord, error: string) => void,
  ): Promise<void> => {
    const d = record.data;
    const s = record.source;
    for (let i = from; i < nFields; i++) {
      const field = fields[i]!;
      let value = i === from ? NEEDS_JSONATA : field.expression.trySync(d, s);
      if (value === NEEDS_JSONATA) {
        try {
          value = await field.expression.evaluateAsync(d, s);
        } catch (err) {
          fail(record, failure(field, err));
          return;
        }
      }
      store(out, field, value, owned);
    }
    emit(output(record, out));
  };

  type SyncFn = (input: RecordData, source: RecordData) => unknown;
  const throwNeedsJsonata: SyncFn = () => {
    throw NEEDS_JSONATA;
  };
  const trustInput = fields.some((f) => f.copy !== undefined || f.expression.trustsInput === true);
  const trustSource = fields.some((f) => f.expression.trustsSource === true);
  /** Per field: the trusted fast closure (throws when the record needs JSONata). */
  const trustedFns: SyncFn[] = fields.map((f) => f.expression.syncTrusted ?? throwNeedsJsonata);
  /** Per field: the fast path with its own root checks (for records whose data/source are not plain objects). */
  const checkedFns: SyncFn[] = fields.map((f) => (d, s) => {
    const v = f.expression.trySync(d, s);
    if (v === NEEDS_JSONATA) throw NEEDS_JSONATA;
    return v;
  });

  /** Maps one record; returns a Promise only when an expression needed the JSONata evaluator. */
  const mapRecord = (
    record: FlowRecord,
    emit: (record: FlowRecord) => void,
    fail: (record: FlowRecord, error: string) => void,
  ): Promise<void> | undefined => {
    const d = record.data;
    const s = record.source;
    const trusted = (!trustInput || isPlainRoot(d)) && (!trustSource || s === d || isPlainRoot(s));
    const fns = trusted ? trustedFns : checkedFns;
    const out: RecordData = keepUnmapped ? { ...d } : {};
    const owned = trackOwned ? new Set<object>() : undefined;
    let i = 0;
    try {
      for (; i < nFields; i++) {
        const field = fields[i]!;
        const copy = field.copy;
        if (copy !== undefined && trusted && copy(d, out)) continue;
        let value = fns[i]!(d, s);
        if (field.hasDefault && (value === undefined || value === null || value === '')) {
          value = field.cloneDefault ? structuredClone(field.defaultValue) : field.defaultValue;
        }
        const set = field.set;
        if (set !== undefined) {
          if (value !== undefined) set(out, value);
          else if (keepUnmapped) delete out[field.target];
        } else {
          setNested(out, field.nested!, value, owned);
        }
      }
    } catch {
      return finishAsync(record, out, i, owned, emit, fail);
    }
    emit(output(record, out));
    return undefined;
  };

  return {
    run(records, emit, fail) {
      for (let i = 0; i < records.length; i++) {
        const pending = mapRecord(records[i]!, emit, fail);
        if (pending) return continueAsync(pending, i + 1);
      }
      return undefined;

      async function continueAsync(first: Promise<void>, next: number): Promise<void> {
        await first;
        for (let i = next; i < records.length; i++) {
          const pending = mapRecord(records[i]!, emit, fail);
          if (pending) await pending;
        }
      }
    },
  };
}

function assign(o: RecordData, key: string, v: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  else o[key] = v;
}

/** A setter that defines an own property even for `__proto__`. */
function defineOwn(key: string): Setter {
  return (o, v) => {
    Object.defineProperty(o, key, { value: v, writable: true, enumerable: true, configurable: true });
  };
}

function isPlainObject(v: unknown): v is RecordData {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Writes `value` at `path` (`['address', 'city']`), creating objects on the way; undefined removes the leaf.
 * `owned` (keepUnmapped only) holds the objects this record created or copied: objects reached through the shallow
 * copy of the input are copied before being written to, so the input record is never mutated.
 */
function setNested(out: RecordData, path: readonly string[], value: unknown, owned: Set<object> | undefined): void {
  let obj = out;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const key = path[i]!;
    const cur = Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined;
    let next: RecordData;
    if (isPlainObject(cur) && (owned === undefined || owned.has(cur))) {
      next = cur;
    } else {
      if (value === undefined && !isPlainObject(cur)) return; // nothing to remove
      next = isPlainObject(cur) ? { ...cur } : {};
      owned?.add(next);
      assign(obj, key, next);
    }
    obj = next;
  }
  const leafKey = path[last]!;
  if (value !== undefined) assign(obj, leafKey, value);
  else delete obj[leafKey];
}
