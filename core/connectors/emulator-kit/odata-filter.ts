// OData `$filter` evaluation shared by the emulators. Parsing is @odata/parser's (OData v4 ABNF); this file walks
// its syntax tree against a row. What differs between systems — which properties exist and how a row holds them,
// how a literal is read against a property's type, how values compare, the functions and the error texts — comes
// from a `FilterModel`, so each emulator answers with its own system's rules and words.
import { defaultParser } from '@odata/parser';

export interface FilterNode {
  type: string;
  value: unknown;
  raw?: string;
  position?: number;
}

export interface FilterMember<Row, Property> {
  property: Property;
  read: (row: Row) => unknown;
}

export interface FilterModel<Row, Property> {
  /** The property a member path names (`address/city` → ['address', 'city']); throws for an unknown one. */
  member(path: string[]): FilterMember<Row, Property>;
  /** A literal read as the type of the property it is compared with (none: in a function call). */
  literal(node: FilterNode, property: Property | undefined, operator: string): unknown;
  /** A value in the form comparisons work on (date-times as numbers, GUIDs lower case, …). */
  normalize?(value: unknown, property: Property | undefined): unknown;
  /** Orders two normalized values for `operator` (default: compareValues). */
  compare?(a: unknown, b: unknown, property: Property | undefined, operator: string): number;
  functions: Record<string, (...args: unknown[]) => unknown>;
  /** The system's error for an unsupported construct. */
  error(message: string): Error;
}

export type FilterPredicate<Row> = (row: Row) => boolean;

interface Typed<Property> {
  value: unknown;
  /** The property a value came from, when it did: decides how the other side's literal is read. */
  property?: Property;
  literal?: FilterNode;
}

const COMPARISONS: Record<string, (order: number) => boolean> = {
  EqualsExpression: (o) => o === 0,
  NotEqualsExpression: (o) => o !== 0,
  LesserThanExpression: (o) => o < 0,
  LesserOrEqualsExpression: (o) => o <= 0,
  GreaterThanExpression: (o) => o > 0,
  GreaterOrEqualsExpression: (o) => o >= 0,
};

/** OData's string functions with their v4 meaning (systems may add to or replace them). */
export const ODATA_STRING_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  contains: (s, t) => String(s).includes(String(t)),
  startswith: (s, t) => String(s).startsWith(String(t)),
  endswith: (s, t) => String(s).endsWith(String(t)),
  tolower: (s) => String(s).toLowerCase(),
  toupper: (s) => String(s).toUpperCase(),
  trim: (s) => String(s).trim(),
  length: (s) => String(s).length,
  indexof: (s, t) => String(s).indexOf(String(t)),
  substring: (s, start, length) =>
    length === undefined ? String(s).slice(Number(start)) : String(s).substr(Number(start), Number(length)),
  concat: (s, t) => `${String(s)}${String(t)}`,
};

/** Parses `$filter` text; `syntaxError` words the failure (the parser's message holds the position). */
export function parseFilter(text: string, syntaxError: (position: number) => Error): FilterNode {
  try {
    return defaultParser.filter(text) as unknown as FilterNode;
  } catch (error) {
    const position = /at (\d+)/.exec(String((error as Error).message ?? ''))?.[1] ?? '0';
    throw syntaxError(Number(position));
  }
}

/** `address/city` style paths: the segments a member expression names. */
export function memberPath(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const t = node as FilterNode;
  if (t.type === 'ODataIdentifier') return [(t.value as { name: string }).name];
  const value = t.value as { current?: unknown; next?: unknown } | undefined;
  // A path with more than one segment: { current: first segment, next: the rest }.
  if (value && typeof value === 'object' && 'current' in value) {
    return [...memberPath(value.current), ...memberPath(value.next)];
  }
  return memberPath(value);
}

/** Visits every node of a syntax tree. */
export function walkFilter(node: unknown, visit: (node: FilterNode) => void): void {
  if (!node || typeof node !== 'object') return;
  visit(node as FilterNode);
  for (const value of Object.values(node)) if (value && typeof value === 'object') walkFilter(value, visit);
}

/** The member paths a (sub)tree compares ('address/city'). */
export function filterFields(node: unknown): Set<string> {
  const found = new Set<string>();
  walkFilter(node, (n) => {
    if (n.type === 'FirstMemberExpression') found.add(memberPath(n).join('/'));
  });
  return found;
}

/** Orders two values; null and undefined first, numbers numerically, the rest as text. */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** Turns a parsed filter into a predicate over rows of the model. */
export function compileFilterTree<Row, Property>(
  ast: FilterNode,
  model: FilterModel<Row, Property>,
): FilterPredicate<Row> {
  const normalize = model.normalize ?? ((v: unknown) => v);
  const compare = model.compare ?? compareValues;
  const evaluate = (node: FilterNode, row: Row): Typed<Property> => {
    switch (node.type) {
      case 'CommonExpression':
      case 'BoolParenExpression':
      case 'ParenExpression':
        return evaluate(node.value as FilterNode, row);
      case 'AndExpression':
      case 'OrExpression': {
        const { left, right } = node.value as { left: FilterNode; right: FilterNode };
        const l = evaluate(left, row).value === true;
        if (node.type === 'AndExpression') return { value: l && evaluate(right, row).value === true };
        return { value: l || evaluate(right, row).value === true };
      }
      case 'NotExpression':
        return { value: evaluate(node.value as FilterNode, row).value !== true };
      case 'FirstMemberExpression': {
        const member = model.member(memberPath(node));
        return { value: member.read(row), property: member.property };
      }
      case 'Literal':
      case 'Enum':
        return { value: undefined, literal: node };
      case 'MethodCallExpression': {
        const { method, parameters } = node.value as { method: string; parameters: FilterNode[] };
        const fn = model.functions[method];
        if (!fn) throw model.error(`Unknown function '${method}'.`);
        const args = parameters.map((p) => {
          const typed = evaluate(p, row);
          return typed.literal ? model.literal(typed.literal, undefined, method) : typed.value;
        });
        return { value: fn(...args) };
      }
      default: {
        const test = COMPARISONS[node.type];
        if (!test) throw model.error(`The query specified in the URI is not valid. '${node.type}' is not supported.`);
        const { left, right } = node.value as { left: FilterNode; right: FilterNode };
        const l = evaluate(left, row);
        const r = evaluate(right, row);
        const lv = l.literal ? model.literal(l.literal, r.property, node.type) : l.value;
        const rv = r.literal ? model.literal(r.literal, l.property, node.type) : r.value;
        const property = l.property ?? r.property;
        return { value: test(compare(normalize(lv, property), normalize(rv, property), property, node.type)) };
      }
    }
  };
  return (row) => evaluate(ast, row).value === true;
}
