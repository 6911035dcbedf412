/**
 * A map config's fields compiled once per run: the expression (fast closure where JSONata's semantics allow), then
 * the value map or the lines, then the default. Lines (order lines, invoice lines) are fields of their own, applied
 * to each element of the array their expression yields.
 *
 * Lines, decided:
 * - the expression's array gives one line per element; a single value (an object) is one line; nothing, null or ""
 *   gives no lines: the target is left out — an update then leaves the destination's lines alone — unless the field
 *   has a default (`[]` to send an empty list);
 * - each element is the input of the line fields' expressions; `$source` stays the whole source record;
 * - line fields have defaults and value maps like any field, and nested lines; "create only" is for top-level fields
 *   and whole lines (a destination replaces lines as a whole), so it is a problem on a field inside lines;
 * - a failure names the line: `lines[2].sku: value "X" is not in value map "Units"`.
 */
import type { RecordData } from '../engine/record.js';
import type { MapField, ValueMapFile } from '../model/mapping.js';
import { compileExpression, NEEDS_JSONATA, toExpressionError, type CompiledExpression } from './compile-expression.js';
import { defineOwn, storeValue, type StoredField } from './field-store.js';
import { copierFor, setterFor } from './property-access.js';
import { compileValueMap, notInMapMessage, NOT_IN_MAP, type CompiledValueMap } from './value-map.js';

export interface CompiledField extends StoredField {
  expression: CompiledExpression;
  /**
   * Value map or lines, applied to the expression's value before the default; undefined for a plain field. Throws
   * {@link FieldFailure}, or NEEDS_JSONATA when a line field needs the evaluator (then use `transformAsync`).
   */
  transform: ((value: unknown, source: RecordData) => unknown) | undefined;
  /** `transform` with the evaluator where needed; rejects with {@link FieldFailure} only. */
  transformAsync: ((value: unknown, source: RecordData) => Promise<unknown>) | undefined;
  valueMap: CompiledValueMap | undefined;
  lines: readonly CompiledField[] | undefined;
}

/** A record's failure at one target (`terms`, `lines[2].sku`); thrown inside the compiled map, never out of it. */
export class FieldFailure {
  constructor(
    readonly target: string,
    readonly reason: string,
  ) {}
  get message(): string {
    return `${this.target}: ${this.reason}`;
  }
  /** The same failure seen from the lines containing it. */
  within(prefix: string): FieldFailure {
    return new FieldFailure(`${prefix}.${this.target}`, this.reason);
  }
}

export interface FieldCompileContext {
  valueMaps: ReadonlyMap<string, ValueMapFile> | undefined;
  /** Records a config problem at a path relative to the config (`.fields[2].valueMap`). */
  problem(rest: string, message: string): void;
}

export interface CompiledFields {
  fields: CompiledField[];
  /** Top-level targets marked "create only". */
  createOnly: string[];
}

/**
 * Compiles the fields that are valid and reports the others through `ctx.problem` (so a preview can still show the
 * valid ones); `base` is the fields' config path (`.fields`, `.fields[3].fields`).
 */
export function compileFields(
  fields: readonly MapField[],
  ctx: FieldCompileContext,
  base = '.fields',
  inLines = false,
): CompiledFields {
  const compiled: CompiledField[] = [];
  const createOnly: string[] = [];
  const seen = new Map<string, number>();
  const valueMaps = new Map<string, CompiledValueMap>();
  fields.forEach((field, i) => {
    const at = `${base}[${i}]`;
    if (typeof field !== 'object' || field === null || Array.isArray(field))
      return ctx.problem(at, 'expected an object with target and expression');
    const target = checkTarget(field.target, seen, i, at, ctx);
    const expression = compileFieldExpression(field.expression, at, ctx);
    let valueMap: CompiledValueMap | undefined;
    let ok = target !== undefined && expression !== undefined;
    if (field.apply === 'createOnly' && inLines) {
      ctx.problem(`${at}.apply`, '"createOnly" applies to top-level fields and whole lines, not to a field of a line');
      ok = false;
    }
    if (field.valueMap !== undefined) {
      if (field.fields !== undefined) {
        ctx.problem(`${at}.valueMap`, 'lines (fields) are not translated: put the value map on a field of the lines');
        ok = false;
      } else {
        const file = ctx.valueMaps?.get(field.valueMap);
        if (!file) {
          ctx.problem(`${at}.valueMap`, unknownValueMap(field.valueMap, ctx.valueMaps));
          ok = false;
        } else {
          valueMap = valueMaps.get(file.id) ?? compileValueMap(file);
          valueMaps.set(file.id, valueMap);
        }
      }
    }
    let lines: CompiledField[] | undefined;
    if (field.fields !== undefined) {
      if (!Array.isArray(field.fields)) {
        ctx.problem(`${at}.fields`, 'expected a list of line fields');
        ok = false;
      } else if (field.fields.length === 0) {
        ctx.problem(`${at}.fields`, 'expected at least one field for the lines');
        ok = false;
      } else {
        lines = compileFields(field.fields, ctx, `${at}.fields`, true).fields;
      }
    }
    if (!ok) return;
    compiled.push(makeField(target!, expression!, field, valueMap, lines));
    if (field.apply === 'createOnly') createOnly.push(target!);
  });
  return { fields: compiled, createOnly };
}

function unknownValueMap(id: string, valueMaps: ReadonlyMap<string, ValueMapFile> | undefined): string {
  const ids = [...(valueMaps?.keys() ?? [])].sort();
  return ids.length
    ? `unknown value map "${id}" (expected one of ${ids.join(', ')})`
    : `unknown value map "${id}": the workspace has no value maps`;
}

function checkTarget(
  raw: unknown,
  seen: Map<string, number>,
  i: number,
  at: string,
  ctx: FieldCompileContext,
): string | undefined {
  const target = typeof raw === 'string' ? raw : '';
  if (target.trim() === '') return void ctx.problem(`${at}.target`, 'must not be empty');
  if (target.split('.').some((part) => part === ''))
    return void ctx.problem(`${at}.target`, `invalid target "${target}": empty name between dots`);
  if (seen.has(target))
    return void ctx.problem(`${at}.target`, `duplicate target "${target}" (also fields[${seen.get(target)}])`);
  for (const [other, j] of seen) {
    if (target.startsWith(`${other}.`) || other.startsWith(`${target}.`)) {
      ctx.problem(`${at}.target`, `target "${target}" conflicts with "${other}" (fields[${j}])`);
      return undefined;
    }
  }
  seen.set(target, i);
  return target;
}

function compileFieldExpression(raw: unknown, at: string, ctx: FieldCompileContext): CompiledExpression | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') return void ctx.problem(`${at}.expression`, 'must not be empty');
  try {
    return compileExpression(raw);
  } catch (err) {
    ctx.problem(`${at}.expression`, err instanceof Error ? err.message : String(err));
    return undefined;
  }
}

function makeField(
  target: string,
  expression: CompiledExpression,
  field: MapField,
  valueMap: CompiledValueMap | undefined,
  lines: CompiledField[] | undefined,
): CompiledField {
  const hasDefault = field.default !== undefined;
  const dotted = target.includes('.');
  const simple = expression.simpleField;
  const plain = valueMap === undefined && lines === undefined;
  const compiled: CompiledField = {
    target,
    nested: dotted ? target.split('.') : undefined,
    set: dotted ? undefined : target === '__proto__' ? defineOwn(target) : setterFor(target),
    copy:
      simple !== undefined && plain && !hasDefault && !dotted && target !== '__proto__'
        ? copierFor(simple, target)
        : undefined,
    expression,
    hasDefault,
    defaultValue: field.default,
    cloneDefault: hasDefault && typeof field.default === 'object' && field.default !== null,
    transform: undefined,
    transformAsync: undefined,
    valueMap,
    lines,
  };
  if (valueMap !== undefined) {
    const translate = (value: unknown): unknown => {
      const out = valueMap.translate(value);
      if (out === NOT_IN_MAP) throw new FieldFailure(target, notInMapMessage(value, valueMap));
      return out;
    };
    compiled.transform = translate;
    compiled.transformAsync = async (value) => translate(value);
  } else if (lines !== undefined) {
    compiled.transform = (value, source) => mapLinesSync(target, lines, value, source);
    compiled.transformAsync = (value, source) => mapLinesAsync(target, lines, value, source);
  }
  return compiled;
}

/** The elements a lines expression's value stands for; undefined for "no lines". */
export function lineItems(value: unknown): readonly unknown[] | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return Array.isArray(value) ? value : [value];
}

function mapLinesSync(
  target: string,
  lines: readonly CompiledField[],
  value: unknown,
  source: RecordData,
): unknown[] | undefined {
  const items = lineItems(value);
  if (items === undefined) return undefined;
  const out = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) {
    const line: RecordData = {};
    const input = items[i] as RecordData;
    for (const field of lines) {
      let v = field.expression.trySync(input, source);
      if (v === NEEDS_JSONATA) throw NEEDS_JSONATA;
      if (field.transform !== undefined) {
        try {
          v = field.transform(v, source);
        } catch (err) {
          throw err instanceof FieldFailure ? err.within(`${target}[${i}]`) : err;
        }
      }
      storeValue(line, field, v, false, undefined);
    }
    out[i] = line;
  }
  return out;
}

async function mapLinesAsync(
  target: string,
  lines: readonly CompiledField[],
  value: unknown,
  source: RecordData,
): Promise<unknown[] | undefined> {
  const items = lineItems(value);
  if (items === undefined) return undefined;
  const out = new Array<unknown>(items.length);
  for (let i = 0; i < items.length; i++) {
    const line: RecordData = {};
    const input = items[i] as RecordData;
    for (const field of lines) {
      try {
        let v = await evaluateField(field, input, source);
        if (field.transformAsync !== undefined) v = await field.transformAsync(v, source);
        storeValue(line, field, v, false, undefined);
      } catch (err) {
        throw err instanceof FieldFailure ? err.within(`${target}[${i}]`) : err;
      }
    }
    out[i] = line;
  }
  return out;
}

/** The field's expression with the evaluator where needed; an error becomes the record's FieldFailure. */
export async function evaluateField(field: CompiledField, input: RecordData, source: RecordData): Promise<unknown> {
  try {
    return await field.expression.evaluate(input, source);
  } catch (err) {
    throw new FieldFailure(field.target, `${field.expression.source}: ${toExpressionError(err).message}`);
  }
}
