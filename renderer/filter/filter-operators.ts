import type { EntityField } from '../../core/model/descriptor.js';
import type { JsonValue } from '../../core/model/json-value.js';
import { type FilterGroup, type FilterOperator, type FilterRule, filterOperators } from '../../core/model/mapping.js';

type FieldType = EntityField['type'];

const ORDERED: FilterOperator[] = ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'notIn', 'empty', 'notEmpty'];

/** Operators that make sense for a field's type: no `contains` for numbers, `isTrue`/`isFalse` only for booleans. */
export function operatorsFor(type: FieldType | undefined): readonly FilterOperator[] {
  switch (type) {
    case 'string':
      return ['eq', 'ne', 'contains', 'startsWith', 'endsWith', 'in', 'notIn', 'empty', 'notEmpty'];
    case 'number':
    case 'integer':
      return ORDERED;
    case 'date':
    case 'datetime':
      return ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'empty', 'notEmpty'];
    case 'boolean':
      return ['isTrue', 'isFalse', 'empty', 'notEmpty'];
    case 'object':
    case 'array':
      return ['empty', 'notEmpty'];
    default:
      // A type nobody declared: every operator, the engine reports a mismatch per record.
      return filterOperators;
  }
}

const DATE_WORDS: Partial<Record<FilterOperator, string>> = {
  lt: 'is before',
  le: 'is on or before',
  gt: 'is after',
  ge: 'is on or after',
};

const WORDS: Record<FilterOperator, string> = {
  eq: 'equals',
  ne: 'does not equal',
  lt: 'is less than',
  le: 'is at most',
  gt: 'is greater than',
  ge: 'is at least',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
  in: 'is one of',
  notIn: 'is none of',
  empty: 'is empty',
  notEmpty: 'is not empty',
  isTrue: 'is true',
  isFalse: 'is false',
};

export function operatorLabel(operator: FilterOperator, type: FieldType | undefined): string {
  return (type === 'date' || type === 'datetime' ? DATE_WORDS[operator] : undefined) ?? WORDS[operator];
}

export function takesValue(operator: FilterOperator): boolean {
  return !['empty', 'notEmpty', 'isTrue', 'isFalse'].includes(operator);
}

export function isListOperator(operator: FilterOperator): boolean {
  return operator === 'in' || operator === 'notIn';
}

/** A typed value as the rule stores it: numbers for number fields (JSONata's `=` is strict: 30 is not "30"). */
export function parseRuleValue(text: string, operator: FilterOperator, type: FieldType | undefined): JsonValue {
  const one = (t: string): JsonValue => {
    const trimmed = t.trim();
    if ((type === 'number' || type === 'integer') && trimmed !== '' && Number.isFinite(Number(trimmed))) {
      return Number(trimmed);
    }
    return isListOperator(operator) ? trimmed : t;
  };
  return isListOperator(operator) ? text.split(',').map(one) : one(text);
}

/** The value as the input shows it (lists comma-separated). */
export function ruleValueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The rule after its field changes: an operator the new type does not take becomes the type's first. */
export function withField(rule: FilterRule, field: string, type: FieldType | undefined): FilterRule {
  const allowed = operatorsFor(type);
  const operator = allowed.includes(rule.operator) ? rule.operator : allowed[0]!;
  const { value, ...rest } = rule;
  return takesValue(operator) && value !== undefined
    ? { ...rest, field, operator, value }
    : { ...rest, field, operator };
}

export function withOperator(rule: FilterRule, operator: FilterOperator, type: FieldType | undefined): FilterRule {
  const { value, ...rest } = rule;
  if (!takesValue(operator)) return { ...rest, operator };
  // A list and a single value convert into each other, so switching eq ↔ in keeps what was typed.
  const text = ruleValueText(value);
  return { ...rest, operator, ...(text === '' ? {} : { value: parseRuleValue(text, operator, type) }) };
}

export const EMPTY_GROUP: FilterGroup = { combinator: 'and', rules: [] };
