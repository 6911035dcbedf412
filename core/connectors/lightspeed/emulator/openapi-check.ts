/**
 * Test helper (only tests import it): what is wrong with a JSON value against a schema of Lightspeed's OpenAPI —
 * the subset the spec uses: `$ref`, `type` (object, array, string, number, integer, boolean), `properties`,
 * `required`, `items`, `nullable`, `enum`, `allOf`/`oneOf`/`anyOf`. Properties a schema does not list are allowed
 * (OpenAPI's default), as the API's answers carry some the spec leaves out.
 */
type Json = Record<string, unknown>;

export class OpenApiSchemas {
  private readonly schemas: Record<string, Json>;

  constructor(spec: Json) {
    this.schemas = ((spec.components as Json).schemas ?? {}) as Record<string, Json>;
  }

  /** The problems of `value` against the schema `name`, as "path: problem" lines. */
  check(name: string, value: unknown, path = name): string[] {
    return this.problems({ $ref: `#/components/schemas/${name}` }, value, path);
  }

  private resolve(node: Json): Json {
    let current = node;
    for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
      const name = current.$ref.slice(current.$ref.lastIndexOf('/') + 1);
      const target = this.schemas[name];
      if (!target) throw new Error(`the spec has no schema ${name}`);
      // `{type: object, $ref}` (ProductCreateBody.attributes): the reference is the schema.
      current = target;
    }
    return current;
  }

  private problems(node: Json, value: unknown, path: string): string[] {
    const schema = this.resolve(node);
    if (value === null) return schema.nullable === true || node.nullable === true ? [] : [`${path}: null where the spec allows none`]; // prettier-ignore
    for (const key of ['oneOf', 'anyOf'] as const) {
      const parts = schema[key] as Json[] | undefined;
      if (parts) return parts.some((p) => this.problems(p, value, path).length === 0) ? [] : [`${path}: matches none of ${key}`]; // prettier-ignore
    }
    // allOf: every part, and the schema's own properties beside it (Supplier has both).
    const found: string[] = ((schema.allOf ?? []) as Json[]).flatMap((p) => this.problems(p, value, path));
    const type = schema.type ?? (schema.properties ? 'object' : undefined);
    switch (type) {
      case 'object':
        if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
        for (const field of (schema.required ?? []) as string[]) {
          if (!(field in (value as Json))) found.push(`${path}.${field}: required by the spec, missing`);
        }
        for (const [field, property] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
          if (field in (value as Json)) found.push(...this.problems(property, (value as Json)[field], `${path}.${field}`)); // prettier-ignore
        }
        return found;
      case 'array':
        if (!Array.isArray(value)) return [`${path}: expected an array`];
        return value.flatMap((item, i) => this.problems((schema.items ?? {}) as Json, item, `${path}[${i}]`));
      case 'string':
        if (typeof value !== 'string') return [`${path}: expected a string, got ${JSON.stringify(value)}`];
        break;
      case 'number':
        if (typeof value !== 'number') return [`${path}: expected a number, got ${JSON.stringify(value)}`];
        break;
      case 'integer':
        if (!Number.isInteger(value)) return [`${path}: expected an integer, got ${JSON.stringify(value)}`];
        break;
      case 'boolean':
        if (typeof value !== 'boolean') return [`${path}: expected a boolean, got ${JSON.stringify(value)}`];
        break;
    }
    if (Array.isArray(schema.enum) && !schema.enum.includes(value)) {
      found.push(`${path}: ${JSON.stringify(value)} is not one of ${(schema.enum as unknown[]).join(', ')}`);
    }
    return found;
  }
}
