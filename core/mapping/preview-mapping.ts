/**
 * The mapper's live preview: a map config applied to sample records, with every problem at the destination field
 * where it occurs. The record's output and error come from the compiled map itself (what a run would do); the field
 * errors come from a second pass that does not stop at the first failure, so a record with two values missing from
 * their value maps shows both.
 */
import type { FlowRecord, RecordData } from '../engine/record.js';
import type { EntityField } from '../model/descriptor.js';
import type { JsonValue } from '../model/json-value.js';
import { mapConfigSchema, type MapConfig, type MappingPreview, type ValueMapFile } from '../model/mapping.js';
import { problemsFromZod, type ValidationProblem } from '../model/validation-error.js';
import { evaluateField, FieldFailure, lineItems, type CompiledField } from './compile-fields.js';
import { storeValue } from './field-store.js';
import { isEmptyValue, typeMismatch } from './field-types.js';
import { compileMapTolerant } from './map-node.js';
import { notInMapMessage, NOT_IN_MAP } from './value-map.js';

export interface PreviewMappingOptions {
  /** The workspace's value maps by id. */
  valueMaps?: ReadonlyMap<string, ValueMapFile>;
  /** The destination entity's fields: values are checked against their types, required ones must not be empty. */
  targetFields?: readonly EntityField[];
}

type Row = MappingPreview['rows'][number];
type FieldError = Row['fieldErrors'][number];

/** JSON only (what crosses the contract): JSONata may produce functions or sequences with extra properties. */
function asJson(value: unknown): Record<string, JsonValue> {
  return JSON.parse(JSON.stringify(value ?? {})) as Record<string, JsonValue>;
}

/**
 * Maps each sample record and reports, per record, its output, its failure as a run would report it, and the errors
 * of each destination field (type mismatch, required field empty, value not in map, expression error — inside lines
 * at `lines[0].sku`). Configuration problems (bad expression, unknown value map) come in `problems`, by config path,
 * and the fields without problems are still previewed. Never throws for a bad config or record.
 */
export async function previewMapping(
  config: MapConfig,
  records: readonly RecordData[],
  options: PreviewMappingOptions = {},
): Promise<MappingPreview> {
  const problems: ValidationProblem[] = [];
  const parsed = mapConfigSchema.safeParse(config, { reportInput: true });
  if (!parsed.success) problems.push(...problemsFromZod(parsed.error));
  const usable: MapConfig =
    typeof config === 'object' && config !== null ? config : ({ fields: [] } as unknown as MapConfig);
  const { map, fields } = compileMapTolerant(usable, undefined, { valueMaps: options.valueMaps }, problems);

  const rows: Row[] = [];
  for (let i = 0; i < records.length; i++) {
    const data = records[i]!;
    const record: FlowRecord = { data, source: data, lineage: { node: 'preview', key: String(i + 1), page: 0 } };
    let output: RecordData | undefined;
    let error: string | undefined;
    await map.run(
      [record],
      (r) => (output = r.data),
      (_r, message) => (error = message),
    );
    const fieldErrors: FieldError[] = [];
    const collected = await collectFields(fields, data, data, '', fieldErrors);
    checkTargets(output ?? collected, options.targetFields ?? [], fieldErrors);
    const row: Row = { input: asJson(data), fieldErrors: dedupe(fieldErrors) };
    if (output !== undefined) row.output = asJson(output);
    if (error !== undefined) row.error = error;
    rows.push(row);
  }
  return { rows, problems: dedupeProblems(problems).map(({ path, message }) => ({ path, message })) };
}

/** Evaluates every field, recording each failure at its target instead of stopping; returns what could be mapped. */
async function collectFields(
  fields: readonly CompiledField[],
  input: unknown,
  source: RecordData,
  prefix: string,
  errors: FieldError[],
): Promise<RecordData> {
  const out: RecordData = {};
  for (const field of fields) {
    const target = prefix + field.target;
    let value: unknown;
    try {
      value = await evaluateField(field, input as RecordData, source);
    } catch (err) {
      if (!(err instanceof FieldFailure)) throw err;
      errors.push({ target, message: err.reason });
      continue;
    }
    if (field.lines !== undefined) {
      const items = lineItems(value);
      value = undefined;
      if (items !== undefined) {
        const lines: RecordData[] = [];
        for (let i = 0; i < items.length; i++)
          lines.push(await collectFields(field.lines, items[i], source, `${target}[${i}].`, errors));
        value = lines;
      }
    } else if (field.valueMap !== undefined) {
      const translated = field.valueMap.translate(value);
      if (translated === NOT_IN_MAP) {
        errors.push({ target, message: notInMapMessage(value, field.valueMap) });
        continue;
      }
      value = translated;
    }
    storeValue(out, field, value, false, undefined);
  }
  return out;
}

/** The value at a catalog field's name: the property of that name, else the dotted path into nested objects. */
function valueAt(output: RecordData, name: string): unknown {
  if (Object.prototype.hasOwnProperty.call(output, name)) return output[name];
  let v: unknown = output;
  for (const part of name.split('.')) {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
    v = Object.prototype.hasOwnProperty.call(v, part) ? (v as RecordData)[part] : undefined;
  }
  return v;
}

function checkTargets(output: RecordData, targetFields: readonly EntityField[], errors: FieldError[]): void {
  const failed = new Set(errors.map((e) => e.target));
  for (const field of targetFields) {
    if (failed.has(field.name)) continue;
    const value = valueAt(output, field.name);
    if (field.readOnly) {
      if (value !== undefined) errors.push({ target: field.name, message: 'read-only: the destination sets it' });
      continue;
    }
    if (field.required && isEmptyValue(value)) {
      errors.push({ target: field.name, message: 'required field is empty' });
      continue;
    }
    const mismatch = typeMismatch(value, field.type);
    if (mismatch) errors.push({ target: field.name, message: mismatch });
  }
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.target}\u0000${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** One problem per path: the schema's word first (it comes first), the compiler's repeat of it dropped. */
function dedupeProblems(problems: ValidationProblem[]): ValidationProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    if (seen.has(p.path)) return false;
    seen.add(p.path);
    return true;
  });
}
