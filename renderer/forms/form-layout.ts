import {
  type JsonSchema,
  type PathSegment,
  type UnionVariant,
  asSchema,
  discriminatedUnionOf,
  isPlainObject,
  isWithin,
  pathText,
  propertiesOf,
  requiredOf,
  resolveSchema,
  showWhenHolds,
} from './json-schema.js';

/**
 * What a schema form shows for a value: one spec per visible field. Rendering and problem placement both read this
 * one layout, so a problem lands on a field exactly when that field is on screen (else the host shows it apart).
 */

export interface FormProblem {
  /** Relative to the form's root: `path`, `types.price`, `paging.path`. */
  path: string;
  message: string;
}

interface FieldBase {
  key: string;
  path: PathSegment[];
  /** `path` as the engine writes problem paths; also the field's `data-field`. */
  pathText: string;
  label: string;
  schema: JsonSchema;
  required: boolean;
  description?: string;
  placeholder?: string;
  defaultValue?: unknown;
}

export type FieldSpec =
  | (FieldBase & { kind: 'text'; widget?: string })
  | (FieldBase & { kind: 'number'; integer: boolean })
  | (FieldBase & { kind: 'boolean' })
  | (FieldBase & { kind: 'enum'; options: unknown[] })
  | (FieldBase & { kind: 'list' })
  | (FieldBase & { kind: 'record'; valueOptions?: unknown[] })
  | (FieldBase & { kind: 'object'; children: FieldSpec[] })
  | (FieldBase & {
      kind: 'union';
      discriminator: string;
      variants: UnionVariant[];
      /** The variant shown: the value's, else the default's. */
      current?: UnionVariant;
      children: FieldSpec[];
    })
  | (FieldBase & { kind: 'json' });

export type FieldKind = FieldSpec['kind'];

function typeOf(schema: JsonSchema): string | undefined {
  if (typeof schema.type === 'string') return schema.type;
  if (Array.isArray(schema.type)) {
    const types = schema.type.filter((t) => t !== 'null');
    return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
  }
  return undefined;
}

function placeholderOf(schema: JsonSchema): string | undefined {
  if (typeof schema.placeholder === 'string') return schema.placeholder;
  if (schema.default === undefined || isPlainObject(schema.default)) return undefined;
  // Defaults are shown, not written: the config stays minimal and follows a connector's future default changes.
  return Array.isArray(schema.default) ? schema.default.join(', ') : String(schema.default);
}

export function layoutFields(
  schema: JsonSchema,
  value: Record<string, unknown>,
  root: JsonSchema = schema,
  basePath: PathSegment[] = [],
): FieldSpec[] {
  const properties = propertiesOf(schema);
  const resolved = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, resolveSchema(s, root)]));
  const required = requiredOf(schema);
  const specs: FieldSpec[] = [];
  for (const [key, propSchema] of Object.entries(resolved)) {
    // Secrets belong to connections and live in the keychain: a node config never holds one.
    if (propSchema.secret === true) continue;
    if (!showWhenHolds(propSchema, value, resolved)) continue;
    const path = [...basePath, key];
    const base: FieldBase = {
      key,
      path,
      pathText: pathText(path),
      label: typeof propSchema.title === 'string' ? propSchema.title : key,
      schema: propSchema,
      required: required.has(key),
      ...(typeof propSchema.description === 'string' ? { description: propSchema.description } : {}),
      ...(placeholderOf(propSchema) !== undefined ? { placeholder: placeholderOf(propSchema) } : {}),
      ...(propSchema.default !== undefined ? { defaultValue: propSchema.default } : {}),
    };
    specs.push(fieldSpec(base, propSchema, value[key], root));
  }
  return specs;
}

function fieldSpec(base: FieldBase, schema: JsonSchema, value: unknown, root: JsonSchema): FieldSpec {
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return { ...base, kind: 'enum', options: schema.enum };
  const union = discriminatedUnionOf(schema, root);
  if (union) {
    const chosen = (isPlainObject(value) ? value : asSchema(base.defaultValue))?.[union.discriminator];
    const current = union.variants.find((v) => v.value === chosen);
    const variantFields = current
      ? layoutFields(current.schema, isPlainObject(value) ? value : {}, root, base.path).filter(
          (f) => f.key !== union.discriminator,
        )
      : [];
    return { ...base, kind: 'union', ...union, ...(current ? { current } : {}), children: variantFields };
  }
  switch (typeOf(schema)) {
    case 'string':
      return { ...base, kind: 'text', ...(typeof schema.widget === 'string' ? { widget: schema.widget } : {}) };
    case 'number':
    case 'integer':
      return { ...base, kind: 'number', integer: typeOf(schema) === 'integer' };
    case 'boolean':
      return { ...base, kind: 'boolean' };
    case 'array': {
      const items = asSchema(schema.items);
      const itemType = items ? typeOf(resolveSchema(items, root)) : undefined;
      return itemType === 'string' && !items?.enum ? { ...base, kind: 'list' } : { ...base, kind: 'json' };
    }
    case 'object': {
      if (isPlainObject(schema.properties)) {
        const children = layoutFields(schema, isPlainObject(value) ? value : {}, root, base.path);
        return { ...base, kind: 'object', children };
      }
      const values = asSchema(schema.additionalProperties);
      const valueSchema = values ? resolveSchema(values, root) : undefined;
      if (valueSchema && Array.isArray(valueSchema.enum)) {
        return { ...base, kind: 'record', valueOptions: valueSchema.enum };
      }
      if (valueSchema && typeOf(valueSchema) === 'string') return { ...base, kind: 'record' };
      return { ...base, kind: 'json' };
    }
    default:
      return { ...base, kind: 'json' };
  }
}

/**
 * Whether a field shows a problem at `path`. Groups show only their own (a nested field shows its own); a leaf
 * shows everything inside it too (`columns[2]`, `types.price` — the key/value editor splits those by row).
 */
export function fieldOwns(spec: FieldSpec, path: string): boolean {
  if (spec.kind === 'object') return path === spec.pathText;
  if (spec.kind === 'union') return path === spec.pathText || path === pathText([...spec.path, spec.discriminator]);
  return isWithin(path, spec.pathText);
}

export interface PlacedProblems {
  /** Per field `pathText`. */
  byField: Map<string, FormProblem[]>;
  /** Problems no visible field shows: the form's root, hidden fields, unknown keys. */
  unplaced: FormProblem[];
}

export function placeProblems(specs: readonly FieldSpec[], problems: readonly FormProblem[]): PlacedProblems {
  const byField = new Map<string, FormProblem[]>();
  const unplaced: FormProblem[] = [];
  const find = (fields: readonly FieldSpec[], path: string): FieldSpec | undefined => {
    for (const field of fields) {
      if (fieldOwns(field, path)) return field;
      if ((field.kind === 'object' || field.kind === 'union') && isWithin(path, field.pathText)) {
        return find(field.children, path);
      }
    }
    return undefined;
  };
  for (const problem of problems) {
    const field = find(specs, problem.path);
    if (field) byField.set(field.pathText, [...(byField.get(field.pathText) ?? []), problem]);
    else unplaced.push(problem);
  }
  return { byField, unplaced };
}

/** The problems a SchemaForm over `schema` and `value` cannot show on a field: its host shows them instead. */
export function unplacedProblems(
  schema: JsonSchema,
  value: Record<string, unknown>,
  problems: readonly FormProblem[],
): FormProblem[] {
  return placeProblems(layoutFields(schema, value), problems).unplaced;
}

/**
 * The union's value after choosing another variant: fields the new variant also has stay, fields only other
 * variants know go (they would be stale settings), and keys no variant knows stay (unknown keys survive).
 */
export function switchVariant(
  current: Record<string, unknown>,
  spec: Extract<FieldSpec, { kind: 'union' }>,
  variant: UnionVariant,
): Record<string, unknown> {
  const own = new Set(Object.keys(propertiesOf(variant.schema)));
  const anyVariant = new Set(spec.variants.flatMap((v) => Object.keys(propertiesOf(v.schema))));
  const kept = Object.entries(current).filter(
    ([key]) => key !== spec.discriminator && (own.has(key) || !anyVariant.has(key)),
  );
  return { [spec.discriminator]: variant.value, ...Object.fromEntries(kept) };
}
