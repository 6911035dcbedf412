import { z } from 'zod';
import type { JsonSchemaObject } from '../model/descriptor.js';

/**
 * Config forms in the UI are generated from the same zod schema that validates the config, via JSON Schema.
 * Form hints travel in `.meta({...})`: `secret: true` (password field, stored in the keychain), `widget`,
 * `showWhen: {field: value}`, `placeholder`.
 */
export function formSchema(schema: z.ZodType): JsonSchemaObject {
  return z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchemaObject;
}
