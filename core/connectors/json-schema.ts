import { z } from 'zod';
import type { JsonSchemaObject } from '../model/descriptor.js';
import { lookupEngineConfigSchema } from '../model/lookup.js';

/**
 * Config forms in the UI are generated from the same zod schema that validates the config, via JSON Schema.
 * Form hints travel in `.meta({...})`: `secret: true` (password field, stored in the keychain), `widget`,
 * `showWhen: {field: value}`, `placeholder`.
 */
export function formSchema(schema: z.ZodType): JsonSchemaObject {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaObject;
}

/**
 * The settings form of a lookup node: the connector's lookup config, then the fields the engine owns (match, into,
 * whenEmpty; see core/model/lookup.ts) — one form, validated by both schemas.
 */
export function lookupFormSchema(connectorSchema: z.ZodType): JsonSchemaObject {
  const own = formSchema(connectorSchema);
  const engine = formSchema(lookupEngineConfigSchema);
  const list = (s: JsonSchemaObject) => (Array.isArray(s.required) ? (s.required as string[]) : []);
  return {
    ...own,
    properties: { ...(own.properties as object), ...(engine.properties as object) },
    required: [...new Set([...list(own), ...list(engine)])],
  };
}
