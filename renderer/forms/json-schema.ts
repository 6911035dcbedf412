import type { JsonSchemaObject } from '../../core/model/descriptor.js';

/**
 * Reading the JSON Schemas that zod 4's `z.toJSONSchema` produces for connector configs (draft 2020-12), with the
 * form hints connectors put in `.meta()`: `secret`, `widget`, `showWhen`, `placeholder`, `description`.
 */

export type JsonSchema = JsonSchemaObject;
export type PathSegment = string | number;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asSchema(value: unknown): JsonSchema | undefined {
  return isPlainObject(value) ? value : undefined;
}

export function propertiesOf(schema: JsonSchema): Record<string, JsonSchema> {
  const props = asSchema(schema.properties) ?? {};
  const out: Record<string, JsonSchema> = {};
  for (const [key, value] of Object.entries(props)) {
    const s = asSchema(value);
    if (s) out[key] = s;
  }
  return out;
}

export function requiredOf(schema: JsonSchema): Set<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((k) => typeof k === 'string') : []);
}

/**
 * Follows a local `$ref` (zod emits `$defs` for schemas registered with an id) and unwraps `X | null`: a form has
 * no separate way to enter null, an emptied field is removed instead.
 */
export function resolveSchema(schema: JsonSchema, root: JsonSchema, depth = 0): JsonSchema {
  if (depth > 20) return schema;
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let target: unknown = root;
    for (const part of ref.slice(2).split('/'))
      target = asSchema(target)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    const resolved = asSchema(target);
    if (resolved) {
      const { $ref: _ref, ...rest } = schema;
      return resolveSchema({ ...resolved, ...rest }, root, depth + 1);
    }
  }
  const union = Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (union) {
    const nonNull = union.map(asSchema).filter((s): s is JsonSchema => s !== undefined && s.type !== 'null');
    if (nonNull.length === 1 && nonNull.length < union.length) {
      const { anyOf: _anyOf, ...rest } = schema;
      return resolveSchema({ ...nonNull[0], ...rest }, root, depth + 1);
    }
  }
  return schema;
}

/** `['types', 'price']` → `types.price`, `['fields', 0, 'target']` → `fields[0].target`: the engine's problem paths. */
export function pathText(path: readonly PathSegment[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(part)}]`;
  }
  return out;
}

/** True when `path` is `base` or lies inside it (`base.x`, `base[0]`). */
export function isWithin(path: string, base: string): boolean {
  if (base === '') return true;
  return path === base || path.startsWith(`${base}.`) || path.startsWith(`${base}[`);
}

/** A copy of `object` with `key` set, or removed when `value` is undefined; other keys keep their order. */
export function withValue(object: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  if (value === undefined) {
    if (!(key in object)) return object;
    const { [key]: _removed, ...rest } = object;
    return rest;
  }
  return { ...object, [key]: value };
}

export function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `showWhen: {auth: 'basic'}` holds when the sibling `auth` is `'basic'` (an array lists allowed values). An unset
 * sibling counts as its default, so fields of the default choice show before the user picks anything.
 */
export function showWhenHolds(
  schema: JsonSchema,
  siblings: Record<string, unknown>,
  siblingSchemas: Record<string, JsonSchema>,
): boolean {
  const condition = asSchema(schema.showWhen);
  if (!condition) return true;
  return Object.entries(condition).every(([field, expected]) => {
    const actual = siblings[field] ?? siblingSchemas[field]?.default;
    return Array.isArray(expected) ? expected.some((e) => sameJson(e, actual)) : sameJson(expected, actual);
  });
}

/** The constant value a variant of a discriminated union has at `key`, if any. */
export function constOf(schema: JsonSchema | undefined): unknown {
  if (!schema) return undefined;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length === 1) return schema.enum[0];
  return undefined;
}

export interface UnionVariant {
  value: unknown;
  schema: JsonSchema;
}

/** `oneOf`/`anyOf` of objects that all carry a constant property (zod's discriminatedUnion): the key and variants. */
export function discriminatedUnionOf(
  schema: JsonSchema,
  root: JsonSchema,
): { discriminator: string; variants: UnionVariant[] } | undefined {
  const options = Array.isArray(schema.oneOf) ? schema.oneOf : Array.isArray(schema.anyOf) ? schema.anyOf : undefined;
  if (!options || options.length === 0) return undefined;
  const variants = options.map((o) => asSchema(o)).map((o) => (o ? resolveSchema(o, root) : undefined));
  if (variants.some((v) => v === undefined || !isPlainObject(v.properties))) return undefined;
  const objects = variants as JsonSchema[];
  const candidates = Object.keys(propertiesOf(objects[0]!)).filter((key) =>
    objects.every((v) => constOf(propertiesOf(v)[key]) !== undefined),
  );
  const discriminator = candidates.includes('kind') ? 'kind' : candidates[0];
  if (discriminator === undefined) return undefined;
  return {
    discriminator,
    variants: objects.map((v) => ({ value: constOf(propertiesOf(v)[discriminator]), schema: v })),
  };
}

/** The schema without some properties (a form that renders them elsewhere, such as the connection picker). */
export function omitProperties(schema: JsonSchema, keys: readonly string[]): JsonSchema {
  const props = propertiesOf(schema);
  if (!keys.some((k) => k in props)) return schema;
  const kept = Object.fromEntries(Object.entries(props).filter(([k]) => !keys.includes(k)));
  const required = [...requiredOf(schema)].filter((k) => !keys.includes(k));
  return { ...schema, properties: kept, required };
}

/** Enum values as a person reads them: control characters escaped (`\n`, `\r\n`), non-strings as JSON. */
export function displayValue(value: unknown): string {
  if (typeof value === 'string') {
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u001f]/.test(value) ? JSON.stringify(value).slice(1, -1) : value;
  }
  return JSON.stringify(value) ?? '';
}
