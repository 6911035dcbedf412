// Reads the entity schemas of an Acumatica swagger (Swagger 2.0 up to 23.200.001, OpenAPI 3.0.1 from 24.200.001)
// in the catalog's words, so tests can hold the generated catalog and the emulator's answers against the second
// machine-readable spec of the same contract.

type Json = Record<string, unknown>;

export interface SwaggerContract {
  /** The base path the swagger's server sits at ('/entity/Default/24.200.001'). */
  basePath: string;
  /** Paths relative to the base path ('/SalesOrder/{ids}'). */
  paths: string[];
  /** Schema name → property name → 'StringValue' | 'SalesOrderDetail[]' | 'Address' (as the endpoint definition). */
  entities: Map<string, Map<string, string>>;
  /** The raw schema of a name (StringValue, HttpError, Entity, …). */
  schema(name: string): Json | undefined;
}

function refName(ref: unknown): string | undefined {
  return typeof ref === 'string' ? ref.slice(ref.lastIndexOf('/') + 1) : undefined;
}

function typeOf(property: Json): string | undefined {
  if (property.$ref) return refName(property.$ref);
  if (property.type === 'array') {
    const item = refName((property.items as Json | undefined)?.$ref);
    return item && `${item}[]`;
  }
  return undefined;
}

export function readSwagger(text: string): SwaggerContract {
  const doc = JSON.parse(text) as Json;
  const schemas = ((doc.components as Json | undefined)?.schemas ?? doc.definitions ?? {}) as Record<string, Json>;
  const server = (doc.servers as { url: string }[] | undefined)?.[0]?.url;
  const basePath = server ? new URL(server).pathname.replace(/^\/[^/]+(?=\/entity\/)/, '') : String(doc.basePath);
  const entities = new Map<string, Map<string, string>>();
  for (const [name, schema] of Object.entries(schemas)) {
    const parts = schema.allOf as Json[] | undefined;
    // Entities are allOf [Entity, {properties}]; wrappers, HttpError and action bodies are plain objects.
    if (!parts || refName(parts[0]?.$ref) !== 'Entity') continue;
    const properties = (parts[1]?.properties ?? {}) as Record<string, Json>;
    const fields = new Map<string, string>();
    for (const [field, property] of Object.entries(properties)) {
      const type = typeOf(property);
      if (type) fields.set(field, type);
    }
    entities.set(name, fields);
  }
  return {
    basePath,
    paths: Object.keys(doc.paths as Json),
    entities,
    schema: (name) => schemas[name],
  };
}
