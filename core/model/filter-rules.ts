/**
 * The filter rule builder's language, compiled to JSONata. Pure and platform-neutral: the renderer shows the
 * generated expression beside the rules, and the filter node evaluates each rule's JSONata to name the rule that
 * stopped a record.
 *
 * Semantics (all of them JSONata's own, since every rule is a JSONata expression):
 * - a field is a dotted path of the incoming record (`customer.email`); a missing field makes a comparison false;
 * - values compare as JSONata does: `=` is strict (the number 30 is not the text "30"), `<`…`>=` compare numbers
 *   with numbers and text with text (ISO dates compare as text) and fail the record on a mix (T2009/T2010);
 * - the negative operators pass exactly the records their positive rejects: `ne` is `$not(f = v)`, `notIn` is
 *   `$not(f in [...])`, `notEmpty` the opposite of `empty` — so a missing field is "not equal" to any value;
 * - `empty` is missing, null or ""; `isTrue`/`isFalse` want the booleans true/false (not the text "true");
 * - `contains`/`startsWith`/`endsWith` compare text, by code points; on a value that is not text JSONata fails the
 *   record (T0410) rather than guessing;
 * - an empty `and` group is true, an empty `or` group false (as `$every`/`$some` of nothing).
 */
import { jsonataPath } from './field-path.js';
import type { EntityField } from './descriptor.js';
import { filterOperators, type FilterGroup, type FilterOperator, type FilterRule } from './mapping.js';
import type { JsonValue } from './json-value.js';
import { ValidationError } from './validation-error.js';

/** A problem of a rule group, at a path relative to the group (`rules[1].rules[0].value`). */
export interface FilterRuleProblem {
  path: string;
  message: string;
}

export function isFilterGroup(item: FilterRule | FilterGroup): item is FilterGroup {
  return Array.isArray((item as FilterGroup).rules);
}

const NO_VALUE: ReadonlySet<FilterOperator> = new Set(['empty', 'notEmpty', 'isTrue', 'isFalse']);
const ORDERED: ReadonlySet<FilterOperator> = new Set(['lt', 'le', 'gt', 'ge']);
const TEXT: ReadonlySet<FilterOperator> = new Set(['contains', 'startsWith', 'endsWith']);
const LIST: ReadonlySet<FilterOperator> = new Set(['in', 'notIn']);

function isPrimitive(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && isFinite(v));
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`;
}

/** Problems of one rule (relative paths: `field`, `value`), empty when the rule compiles. */
export function filterRuleProblems(rule: FilterRule): FilterRuleProblem[] {
  const problems: FilterRuleProblem[] = [];
  const field = typeof rule.field === 'string' ? rule.field : '';
  if (field.trim() === '') problems.push({ path: 'field', message: 'must not be empty' });
  else if (field.split('.').some((part) => part === ''))
    problems.push({ path: 'field', message: `invalid field "${field}": empty name between dots` });
  const { operator: op, value } = rule;
  if (NO_VALUE.has(op)) return problems;
  if (value === undefined) {
    problems.push({ path: 'value', message: `required: operator "${op}" compares with a value` });
  } else if (LIST.has(op)) {
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, i) => {
      if (!isPrimitive(item))
        problems.push({
          path: Array.isArray(value) ? `value[${i}]` : 'value',
          message: `expected text, a number, true, false or null, got ${describeValue(item)}`,
        });
    });
  } else if (ORDERED.has(op)) {
    if (typeof value !== 'string' && !(typeof value === 'number' && isFinite(value)))
      problems.push({ path: 'value', message: `expected a number or text for "${op}", got ${describeValue(value)}` });
  } else if (TEXT.has(op)) {
    if (typeof value !== 'string' && !(typeof value === 'number' && isFinite(value)))
      problems.push({ path: 'value', message: `expected text for "${op}", got ${describeValue(value)}` });
  }
  return problems;
}

/** Problems of a whole group, each at its path relative to the group. */
export function filterGroupProblems(group: FilterGroup, base = ''): FilterRuleProblem[] {
  const problems: FilterRuleProblem[] = [];
  if (group.combinator !== 'and' && group.combinator !== 'or')
    problems.push({ path: join(base, 'combinator'), message: 'expected one of and, or' });
  (Array.isArray(group.rules) ? group.rules : []).forEach((item, i) => {
    const at = join(base, `rules[${i}]`);
    if (isFilterGroup(item)) problems.push(...filterGroupProblems(item, at));
    else problems.push(...filterRuleProblems(item).map((p) => ({ path: join(at, p.path), message: p.message })));
  });
  return problems;
}

function join(base: string, rest: string): string {
  if (!base) return rest;
  return rest.startsWith('[') ? base + rest : `${base}.${rest}`;
}

function throwProblems(problems: FilterRuleProblem[]): void {
  if (problems.length) throw new ValidationError(problems.map((p) => ({ path: p.path, message: p.message })));
}

/** A rule's field path (dots separate nested names) as JSONata: see field-path.ts for the quoting. */
export function jsonataFieldPath(field: string): string {
  return jsonataPath(field.split('.'));
}

/**
 * A JSON value as a JSONata literal: JSON's string escapes are JSONata's (`\"`, `\\`, `\n`, `\uXXXX`), numbers and
 * `true`/`false`/`null` are the same tokens, arrays and objects are constructors of literals.
 */
export function jsonataLiteral(value: JsonValue): string {
  if (Array.isArray(value)) return `[${value.map(jsonataLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${jsonataLiteral(v)}`)
      .join(', ')}}`;
  if (typeof value === 'number' && !isFinite(value)) throw new Error(`${String(value)} is not a JSON number`);
  return JSON.stringify(value);
}

/** Text operators take text; a number typed in a rule is its text. */
function textOf(value: unknown): string {
  return typeof value === 'string' ? value : String(value);
}

/** Number of code points: JSONata's `$substring` and `$length` count those. */
function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

function listOf(value: unknown): JsonValue[] {
  return (Array.isArray(value) ? value : [value]) as JsonValue[];
}

function ruleToJsonataUnchecked(rule: FilterRule): string {
  const f = jsonataFieldPath(rule.field);
  const v = rule.value as JsonValue;
  switch (rule.operator) {
    case 'eq':
      return `${f} = ${jsonataLiteral(v)}`;
    case 'ne':
      return `$not(${f} = ${jsonataLiteral(v)})`;
    case 'lt':
      return `${f} < ${jsonataLiteral(v)}`;
    case 'le':
      return `${f} <= ${jsonataLiteral(v)}`;
    case 'gt':
      return `${f} > ${jsonataLiteral(v)}`;
    case 'ge':
      return `${f} >= ${jsonataLiteral(v)}`;
    case 'contains':
      return `$contains(${f}, ${JSON.stringify(textOf(v))})`;
    case 'startsWith':
    case 'endsWith': {
      const text = textOf(v);
      // Every text starts and ends with "": `$substring(f, -0)` would be the whole text, so say it plainly.
      if (text === '') return `$contains(${f}, "")`;
      const n = codePointLength(text);
      const part = rule.operator === 'startsWith' ? `$substring(${f}, 0, ${n})` : `$substring(${f}, -${n})`;
      return `${part} = ${JSON.stringify(text)}`;
    }
    case 'in':
      return `${f} in ${jsonataLiteral(listOf(v))}`;
    case 'notIn':
      return `$not(${f} in ${jsonataLiteral(listOf(v))})`;
    case 'empty':
      return `($not($exists(${f})) or ${f} = null or ${f} = "")`;
    case 'notEmpty':
      return `($exists(${f}) and ${f} != null and ${f} != "")`;
    case 'isTrue':
      return `${f} = true`;
    case 'isFalse':
      return `${f} = false`;
  }
}

/** One rule as a JSONata boolean expression. Throws a ValidationError when the rule is incomplete. */
export function filterRuleToJsonata(rule: FilterRule): string {
  throwProblems(filterRuleProblems(rule));
  return ruleToJsonataUnchecked(rule);
}

/** Parenthesised where an `and`/`or` of the part would otherwise bind differently. */
function operand(item: FilterRule | FilterGroup): string {
  if (isFilterGroup(item)) {
    const inner = groupToJsonata(item);
    return item.rules.length > 1 ? `(${inner})` : inner;
  }
  return ruleToJsonataUnchecked(item);
}

function groupToJsonata(group: FilterGroup): string {
  if (group.rules.length === 0) return group.combinator === 'and' ? 'true' : 'false';
  return group.rules.map(operand).join(` ${group.combinator} `);
}

/** A rule group as one JSONata boolean expression. Throws a ValidationError (paths relative to the group). */
export function filterRulesToJsonata(group: FilterGroup): string {
  throwProblems(filterGroupProblems(group));
  return groupToJsonata(group);
}

const OPERATOR_WORDS: Record<FilterOperator, string> = {
  eq: '=',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  contains: 'contains',
  startsWith: 'starts with',
  endsWith: 'ends with',
  in: 'in',
  notIn: 'not in',
  empty: 'is empty',
  notEmpty: 'is not empty',
  isTrue: 'is true',
  isFalse: 'is false',
};

function shownValue(value: unknown): string {
  if (value === undefined) return '(no value)';
  if (Array.isArray(value)) return `[${value.map(shownValue).join(', ')}]`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A rule in words for messages and the UI: `status = "in progress"`, `email is empty`, `country in ["US", "CA"]`. */
export function describeRule(rule: FilterRule): string {
  const words = OPERATOR_WORDS[rule.operator] ?? String(rule.operator);
  if (NO_VALUE.has(rule.operator)) return `${rule.field} ${words}`;
  const value = LIST.has(rule.operator) ? listOf(rule.value) : rule.value;
  return `${rule.field} ${words} ${shownValue(value)}`;
}

/** A group in words: `(status = "open" or status = "new")`; an empty group reads `(no rules)`. */
export function describeGroup(group: FilterGroup): string {
  if (group.rules.length === 0) return '(no rules)';
  const parts = group.rules.map((item) => (isFilterGroup(item) ? describeGroup(item) : describeRule(item)));
  return parts.length === 1 ? parts[0]! : `(${parts.join(` ${group.combinator} `)})`;
}

const OPERATORS_BY_TYPE: Record<EntityField['type'], readonly FilterOperator[]> = {
  string: ['eq', 'ne', 'contains', 'startsWith', 'endsWith', 'in', 'notIn', 'empty', 'notEmpty'],
  number: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'notIn', 'empty', 'notEmpty'],
  integer: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'in', 'notIn', 'empty', 'notEmpty'],
  // ISO dates and times compare as text, in time order
  date: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'empty', 'notEmpty'],
  datetime: ['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'empty', 'notEmpty'],
  boolean: ['isTrue', 'isFalse', 'empty', 'notEmpty'],
  object: ['empty', 'notEmpty'],
  array: ['empty', 'notEmpty'],
  unknown: filterOperators,
};

/** The operators the rule builder offers for a field of this catalog type (all of them when the type is unknown). */
export function operatorsForType(type: EntityField['type']): readonly FilterOperator[] {
  return OPERATORS_BY_TYPE[type] ?? filterOperators;
}
