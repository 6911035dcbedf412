/**
 * Checks of mapped values against a destination's catalog (EntityField types), for the mapper's preview. Null is
 * accepted for every type (it clears a field); whether a field may be empty is `required`'s business.
 */
import type { EntityField } from '../model/descriptor.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** ISO 8601 date and time, seconds and offset optional (Acumatica takes local times, Business Central wants Z). */
const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;

function isValidDate(text: string): boolean {
  return !Number.isNaN(Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text));
}

/** A value in words: `text "12.5"`, `number 2.5`, `true`, `an object`, `a list`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  switch (typeof value) {
    case 'string':
      return `text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `number ${String(value)}`;
    case 'boolean':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

const EXPECTED: Record<EntityField['type'], string> = {
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  date: 'a date (YYYY-MM-DD)',
  datetime: 'a date and time (ISO 8601)',
  object: 'an object',
  array: 'a list',
  unknown: 'anything',
};

function matches(value: unknown, type: EntityField['type']): boolean {
  switch (type) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
      return typeof value === 'string' && DATE.test(value) && isValidDate(value);
    case 'datetime':
      return typeof value === 'string' && DATETIME.test(value) && isValidDate(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'unknown':
      return true;
  }
}

/** The type mismatch of a value against a catalog field, or undefined when it fits (nothing and null always do). */
export function typeMismatch(value: unknown, type: EntityField['type']): string | undefined {
  if (value === undefined || value === null || matches(value, type)) return undefined;
  return `type mismatch: expected ${EXPECTED[type]}, got ${describeValue(value)}`;
}

export function isEmptyValue(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
