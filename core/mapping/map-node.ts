import type { FlowRecord, RecordData } from '../engine/record.js';
import type { MapConfig, ValueMapFile } from '../model/mapping.js';
import { ValidationError, type ValidationProblem } from '../model/validation-error.js';
import { isPlainRoot, NEEDS_JSONATA } from './compile-expression.js';
import { compileFields, evaluateField, FieldFailure, type CompiledField } from './compile-fields.js';
import { joinPath, type ConfigLocation } from './config-location.js';
import { setNested, storeValue } from './field-store.js';

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

export interface MapOptions {
  /** The workspace's value maps by id (`value-maps/<id>.value-map.json`); fields name them by id. */
  valueMaps?: ReadonlyMap<string, ValueMapFile>;
}

/** Compiles a map node's config; every problem of it is thrown at once as a ValidationError naming file and path. */
export function compileMap(config: MapConfig, where?: ConfigLocation, options: MapOptions = {}): CompiledMap {
  const problems: ValidationProblem[] = [];
  const { map } = compileMapTolerant(config, where, options, problems);
  if (problems.length > 0) throw new ValidationError(problems);
  return map;
}

/**
 * The valid part of a config, its problems added to `problems` instead of thrown: the mapper's preview shows the
 * fields that work while others are half typed.
 */
export function compileMapTolerant(
  config: MapConfig,
  where: ConfigLocation | undefined,
  options: MapOptions,
  problems: ValidationProblem[],
): { map: CompiledMap; fields: readonly CompiledField[] } {
  const compiled = compileFields(Array.isArray(config.fields) ? config.fields : [], {
    valueMaps: options.valueMaps,
    problem: (rest, message) => problems.push({ file: where?.file, path: joinPath(where?.path, rest), message }),
  });
  if (!Array.isArray(config.fields))
    problems.push({ file: where?.file, path: joinPath(where?.path, '.fields'), message: 'expected array' });
  return {
    map: mapRuntime(compiled.fields, compiled.createOnly, config.keepUnmapped === true),
    fields: compiled.fields,
  };
}

/** The per-record loop over compiled fields: synchronous while every value comes from the fast path. */
function mapRuntime(
  fields: readonly CompiledField[],
  createOnly: readonly string[],
  keepUnmapped: boolean,
): CompiledMap {
  const sharedCreateOnly: readonly string[] | undefined = createOnly.length > 0 ? Object.freeze(createOnly) : undefined;
  const nFields = fields.length;
  const trackOwned = keepUnmapped && fields.some((f) => f.nested !== undefined);

  const output = (record: FlowRecord, data: RecordData): FlowRecord =>
    sharedCreateOnly
      ? { data, source: record.source, lineage: record.lineage, createOnly: sharedCreateOnly }
      : { data, source: record.source, lineage: record.lineage };

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
      try {
        let value = await evaluateField(field, d, s);
        if (field.transformAsync !== undefined) value = await field.transformAsync(value, s);
        storeValue(out, field, value, keepUnmapped, owned);
      } catch (err) {
        if (!(err instanceof FieldFailure)) throw err;
        fail(record, err.message);
        return;
      }
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
        const transform = field.transform;
        if (transform !== undefined) value = transform(value, s);
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
    } catch (err) {
      if (err instanceof FieldFailure) {
        fail(record, err.message);
        return undefined;
      }
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
