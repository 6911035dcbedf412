// Reads Lightspeed's OpenAPI 3.0 (API 2.0) in the catalog's words: a schema's properties as typed fields, nested
// objects and arrays of objects with their own fields, and the response examples of a list resource, whose values
// tell dates and date-times apart (the spec types every timestamp as a bare string) and which name fields the
// schemas leave out (`version` of inventory records, `is_active` of products).
import type { LsEntityField, LsField, LsFieldType } from '../../core/connectors/lightspeed/catalog.js';

type Json = Record<string, unknown>;

/** How deep nested fields are described: products.variants[].inventory[].outlet_id is depth 2. */
const MAX_DEPTH = 3;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;
const TIMESTAMP_WORDS = /\btimestamp\b|\bdate\/time\b/i;

export class OpenApi {
  readonly doc: Json;

  constructor(text: string) {
    this.doc = JSON.parse(text) as Json;
  }

  get schemas(): Record<string, Json> {
    return ((this.doc.components as Json).schemas ?? {}) as Record<string, Json>;
  }

  schema(name: string): Json {
    const schema = this.schemas[name];
    if (!schema) throw new Error(`the spec has no schema ${name}`);
    return schema;
  }

  operation(path: string, method: string): Json {
    const op = ((this.doc.paths as Json)[path] as Json | undefined)?.[method] as Json | undefined;
    if (!op) throw new Error(`the spec has no ${method.toUpperCase()} ${path}`);
    return op;
  }

  /** `{$ref}` → the schema it names (also `{type: object, $ref}`, as ProductCreateBody.attributes is written). */
  resolve(node: Json): Json {
    let current = node;
    for (let i = 0; i < 10 && typeof current.$ref === 'string'; i++) {
      current = this.schema(current.$ref.slice(current.$ref.lastIndexOf('/') + 1));
    }
    return current;
  }

  /** Names of a GET operation's query parameters (`$ref`s to components.parameters resolved). */
  parameters(op: Json): Json[] {
    const components = ((this.doc.components as Json).parameters ?? {}) as Record<string, Json>;
    return ((op.parameters ?? []) as Json[]).map((p) =>
      typeof p.$ref === 'string' ? components[p.$ref.slice(p.$ref.lastIndexOf('/') + 1)]! : p,
    );
  }

  /** The record schema of a list resource: `data.items` of its 200 answer. */
  listItemSchema(path: string): { name: string; schema: Json } {
    const collection = this.responseSchema(this.operation(path, 'get'));
    const items = ((collection.properties as Json).data as Json).items as Json;
    const ref = String(items.$ref);
    return { name: ref.slice(ref.lastIndexOf('/') + 1), schema: this.resolve(items) };
  }

  private responseSchema(op: Json): Json {
    const content = ((op.responses as Json)['200'] as Json).content as Json;
    return this.resolve((content['application/json'] as Json).schema as Json);
  }

  /** The records of the examples of `GET path` and `GET path/{id}` (and of the record schema's x-examples). */
  examples(path: string, recordSchema: Json): Json[] {
    const found: Json[] = [];
    const paths = this.doc.paths as Json;
    const single = Object.keys(paths).find((p) => p.startsWith(`${path}/{`) && p.split('/').length === 3);
    for (const p of [path, single]) {
      if (!p || !(paths[p] as Json).get) continue;
      const content = (((paths[p] as Json).get as Json).responses as Json)['200'] as Json;
      const json = (content.content as Json | undefined)?.['application/json'] as Json | undefined;
      collect(json?.example, found);
    }
    for (const example of Object.values((recordSchema['x-examples'] ?? {}) as Json)) collect(example, found);
    return found;
  }

  /** The fields of an object schema, in the spec's order. */
  fields(schema: Json, examples: Json[] = [], depth = 0): LsField[] {
    const required = new Set((schema.required ?? []) as string[]);
    return Object.entries((schema.properties ?? {}) as Record<string, Json>).map(([name, property]) => {
      const field = this.field(name, property, valuesOf(examples, name), depth);
      if (required.has(name)) field.required = true;
      return field;
    });
  }

  private field(name: string, property: Json, examples: unknown[], depth: number): LsField {
    const node = this.resolve(property);
    const type = typeOf(
      node.type ?? property.type,
      { ...node, description: property.description ?? node.description },
      examples,
    );
    const field: LsField = { name, type };
    if (node.nullable === true || property.nullable === true) field.nullable = true;
    if (Array.isArray(node.enum)) field.enum = (node.enum as unknown[]).map(String);
    const format = typeof node.format === 'string' ? node.format.toLowerCase() : undefined;
    if (format && type !== 'date' && type !== 'datetime') field.format = format;
    const description = firstSentence(property.description ?? node.description);
    if (description) field.description = description;
    if (type === 'array') {
      const items = this.resolve((node.items ?? {}) as Json);
      if (items.properties && depth < MAX_DEPTH) {
        field.fields = this.fields(items, objectsOf(examples.flat()), depth + 1);
      } else field.items = typeOf(items.type, items, examples.flat());
    } else if (type === 'object' && node.properties && depth < MAX_DEPTH) {
      field.fields = this.fields(node, objectsOf(examples), depth + 1);
    }
    return field;
  }
}

/** Fields the examples hold that the schema does not: typed from their values. */
export function exampleOnlyFields(known: ReadonlySet<string>, examples: Json[]): LsEntityField[] {
  const names = [...new Set(examples.flatMap((e) => Object.keys(e)))].filter((n) => !known.has(n));
  return names.map((name) => {
    const values = valuesOf(examples, name).filter((v) => v !== null);
    const sample = values[0];
    const base: LsFieldType =
      typeof sample === 'boolean'
        ? 'boolean'
        : typeof sample === 'number'
          ? Number.isInteger(sample) && values.every(Number.isInteger)
            ? 'integer'
            : 'number'
          : Array.isArray(sample)
            ? 'array'
            : sample && typeof sample === 'object'
              ? 'object'
              : 'string';
    return { name, type: typeOf(base, {}, values), fromExample: true };
  });
}

function typeOf(type: unknown, node: Json, examples: unknown[]): LsFieldType {
  switch (type) {
    case 'integer':
    case 'number':
    case 'boolean':
    case 'array':
      return type;
    case 'object':
      return 'object';
    case 'string': {
      if (node.format === 'date-time') return 'datetime';
      if (node.format === 'date') return 'date';
      const texts = examples.filter((v): v is string => typeof v === 'string' && v !== '');
      if (texts.length > 0 && texts.every((v) => DATE.test(v))) return 'date';
      if (texts.length > 0 && texts.every((v) => DATE_TIME.test(v))) return 'datetime';
      // Without an example value (deleted_at is null in every one), the description still says what it holds.
      if (texts.length === 0 && TIMESTAMP_WORDS.test(String(node.description ?? ''))) return 'datetime';
      return 'string';
    }
  }
  // No type but properties: an object (the spec writes some objects as a bare $ref).
  return node.properties ? 'object' : 'string';
}

function collect(example: unknown, into: Json[]): void {
  if (!example || typeof example !== 'object') return;
  const data = (example as Json).data;
  if (Array.isArray(data)) into.push(...objectsOf(data));
  else if (data && typeof data === 'object') into.push(data as Json);
}

function objectsOf(values: unknown[]): Json[] {
  return values.filter((v): v is Json => !!v && typeof v === 'object' && !Array.isArray(v));
}

function valuesOf(examples: Json[], name: string): unknown[] {
  return examples.filter((e) => name in e).map((e) => e[name]);
}

function firstSentence(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const line = text.split('\n')[0]!.trim();
  if (line === '' || /^\?+$/.test(line)) return undefined;
  return line.length > 200 ? `${line.slice(0, 197)}...` : line;
}
