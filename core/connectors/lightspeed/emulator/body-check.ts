// Checks a request body against the fields its write takes (the catalog's, generated from the spec): unknown
// fields, wrong JSON types, values outside an enum and missing required fields are refused with 400 naming the path
// (`variants[1].inventory[0].current_amount: expected a number`), as a server validating its input does.
import type { LsField } from '../catalog.js';
import { badRequest } from './errors.js';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function typeProblem(field: LsField, value: unknown): string | undefined {
  if (value === null) return field.nullable || !field.required ? undefined : 'may not be null';
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? undefined : 'expected a string';
    case 'date':
    case 'datetime':
      return typeof value === 'string' && DATE_TIME.test(value) ? undefined : 'expected a date (ISO 8601)';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'expected a number';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'expected an integer';
    case 'boolean':
      return typeof value === 'boolean' ? undefined : 'expected true or false';
    case 'array':
      return Array.isArray(value) ? undefined : 'expected an array';
    case 'object':
      return value && typeof value === 'object' && !Array.isArray(value) ? undefined : 'expected an object';
  }
}

/** Throws 400 for the first problem of `body` against `fields`. */
export function checkBody(fields: readonly LsField[], body: unknown, path = '', allowed: readonly string[] = []): void {
  const where = (name: string) => (path ? `${path}.${name}` : name);
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest(`${path || 'body'}: expected a JSON object`);
  }
  const record = body as Record<string, unknown>;
  for (const field of fields) {
    if (field.required && !(field.name in record)) throw badRequest(`${where(field.name)}: is required`);
  }
  for (const [name, value] of Object.entries(record)) {
    if (allowed.includes(name)) continue;
    const field = fields.find((f) => f.name === name);
    if (!field) throw badRequest(`${where(name)}: unknown field`);
    const problem = typeProblem(field, value);
    if (problem) throw badRequest(`${where(name)}: ${problem}`);
    if (value === null) continue;
    if (field.enum && !field.enum.includes(String(value))) {
      throw badRequest(`${where(name)}: expected one of ${field.enum.join(', ')}`);
    }
    if (field.type === 'array' && Array.isArray(value)) {
      value.forEach((item, i) => {
        const at = `${where(name)}[${i}]`;
        if (field.fields) checkBody(field.fields, item, at);
        else if (field.items) {
          const problem = typeProblem({ name, type: field.items }, item);
          if (problem) throw badRequest(`${at}: ${problem}`);
        }
      });
    } else if (field.type === 'object' && field.fields) checkBody(field.fields, value, where(name));
  }
}
