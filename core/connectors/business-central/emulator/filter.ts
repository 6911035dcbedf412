// $filter as Business Central evaluates it. Parsing is @odata/parser's (OData v4 ABNF); this file only walks its
// syntax tree against a row, with the property types of the catalog deciding how a literal is read: dates and
// date-times unquoted, GUIDs unquoted, enums as quoted member names in either escaped or plain form.
import { defaultParser } from '@odata/parser';
import type { BcEntitySet, BcProperty } from '../catalog.js';
import { badRequest } from './errors.js';
import { enumMember, type Row } from './values.js';

interface Node {
  type: string;
  value: unknown;
  raw?: string;
  position?: number;
}

interface Typed {
  value: unknown;
  /** The property a value came from, when it did: decides how the other side's literal is read. */
  property?: BcProperty;
  literal?: Node;
}

export type RowPredicate = (row: Row) => boolean;

const COMPARISONS: Record<string, (order: number) => boolean> = {
  EqualsExpression: (o) => o === 0,
  NotEqualsExpression: (o) => o !== 0,
  LesserThanExpression: (o) => o < 0,
  LesserOrEqualsExpression: (o) => o <= 0,
  GreaterThanExpression: (o) => o > 0,
  GreaterOrEqualsExpression: (o) => o >= 0,
};

export function syntaxError(text: string, error: unknown): Error {
  const position = /at (\d+)/.exec(String((error as Error).message ?? ''))?.[1] ?? '0';
  return badRequest(`Syntax error at position ${position} in '${text}'.`);
}

export const unknownProperty = (set: BcEntitySet, name: string) =>
  badRequest(`Could not find a property named '${name}' on type 'Microsoft.NAV.${set.entityType}'.`);

/** `address/city` style paths: the property (and its complex member) a member expression names. */
function memberPath(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const t = node as Node;
  if (t.type === 'ODataIdentifier') return [(t.value as { name: string }).name];
  const value = t.value as { current?: unknown; next?: unknown } | undefined;
  // A path with more than one segment: { current: first segment, next: the rest }.
  if (value && typeof value === 'object' && 'current' in value) {
    return [...memberPath(value.current), ...memberPath(value.next)];
  }
  return memberPath(value);
}

function literalText(node: Node): string {
  return node.raw ?? '';
}

function unquote(raw: string): string {
  return raw.slice(1, -1).replace(/''/g, "'");
}

/** Reads a literal as the type of the property it is compared with (OData's type promotion, BC's formats). */
function readLiteral(node: Node, property: BcProperty | undefined, operator: string): unknown {
  const raw = literalText(node);
  const edm = node.value as string;
  if (edm === 'null') return null;
  const mismatch = () =>
    badRequest(
      `A binary operator with incompatible types was detected. Found operand types '${property!.edmType}' and ` +
        `'${edm}' for operator kind '${operator.replace('Expression', '')}'.`,
    );
  if (node.type === 'Enum') {
    const member = (
      (node.value as { value: { value: { values: Node[] } } }).value.value.values[0]?.value as {
        name: string;
      }
    )?.name;
    return property ? (enumMember(property, member) ?? member) : member;
  }
  if (!property) return edm === 'Edm.String' ? unquote(raw) : raw;
  if (property.enumMembers) {
    if (edm !== 'Edm.String') throw mismatch();
    const member = enumMember(property, unquote(raw));
    if (member === undefined) throw badRequest(`The string '${unquote(raw)}' is not a valid enumerated type constant.`);
    return member;
  }
  switch (property.edmType) {
    case 'Edm.String':
      if (edm !== 'Edm.String') throw mismatch();
      return unquote(raw);
    case 'Edm.Guid':
      if (edm !== 'Edm.Guid') throw mismatch();
      return raw.toLowerCase();
    case 'Edm.Date':
      if (edm !== 'Edm.Date') throw mismatch();
      return raw;
    case 'Edm.DateTimeOffset':
      if (edm !== 'Edm.DateTimeOffset' && edm !== 'Edm.Date') throw mismatch();
      return Date.parse(raw);
    case 'Edm.Boolean':
      if (edm !== 'Edm.Boolean') throw mismatch();
      return raw === 'true';
    default:
      if (!/^Edm\.(S?Byte|Int\d+|Decimal|Double|Single)$/.test(edm)) throw mismatch();
      return Number(raw);
  }
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

const STRING_FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
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

/** Compiles `$filter` text for an entity set; unknown properties and syntax errors become BC's 400 errors. */
export function compileFilter(text: string, set: BcEntitySet): RowPredicate {
  let ast: Node;
  try {
    ast = defaultParser.filter(text) as unknown as Node;
  } catch (error) {
    throw syntaxError(text, error);
  }
  const fieldsOf = (node: Node): Set<string> => {
    const found = new Set<string>();
    const walk = (n: unknown) => {
      if (!n || typeof n !== 'object') return;
      const t = n as Node;
      if (t.type === 'FirstMemberExpression') found.add(memberPath(t).join('/'));
      for (const value of Object.values(t)) if (value && typeof value === 'object') walk(value);
    };
    walk(node);
    return found;
  };

  const evaluate = (node: Node, row: Row): Typed => {
    switch (node.type) {
      case 'CommonExpression':
      case 'BoolParenExpression':
      case 'ParenExpression':
        return evaluate(node.value as Node, row);
      case 'AndExpression':
      case 'OrExpression': {
        const { left, right } = node.value as { left: Node; right: Node };
        const l = evaluate(left, row).value === true;
        if (node.type === 'AndExpression') return { value: l && evaluate(right, row).value === true };
        return { value: l || evaluate(right, row).value === true };
      }
      case 'NotExpression':
        return { value: evaluate(node.value as Node, row).value !== true };
      case 'FirstMemberExpression': {
        const [name, member] = memberPath(node);
        const property = set.properties.find((p) => p.name === name);
        if (!property) throw unknownProperty(set, name ?? '');
        if (member === undefined) return { value: row[name!], property };
        const inner = property.properties?.find((p) => p.name === member);
        if (!inner) throw badRequest(`Could not find a property named '${member}' on type '${property.edmType}'.`);
        return { value: (row[name!] as Row | undefined)?.[member], property: inner };
      }
      case 'Literal':
      case 'Enum':
        return { value: undefined, literal: node };
      case 'MethodCallExpression': {
        const { method, parameters } = node.value as { method: string; parameters: Node[] };
        const fn = STRING_FUNCTIONS[method];
        if (!fn) throw badRequest(`Unknown function '${method}'.`);
        const args = parameters.map((p) => {
          const typed = evaluate(p, row);
          return typed.literal ? readLiteral(typed.literal, undefined, method) : typed.value;
        });
        return { value: fn(...args) };
      }
      default: {
        const test = COMPARISONS[node.type];
        if (!test) throw badRequest(`The query specified in the URI is not valid. '${node.type}' is not supported.`);
        const { left, right } = node.value as { left: Node; right: Node };
        const l = evaluate(left, row);
        const r = evaluate(right, row);
        const lv = l.literal ? readLiteral(l.literal, r.property, node.type) : l.value;
        const rv = r.literal ? readLiteral(r.literal, l.property, node.type) : r.value;
        const property = l.property ?? r.property;
        const norm = (v: unknown) => {
          if (property?.edmType === 'Edm.DateTimeOffset' && typeof v === 'string') return Date.parse(v);
          if (property?.edmType === 'Edm.Guid' && typeof v === 'string') return v.toLowerCase();
          if (property?.enumMembers && typeof v === 'string') return property.enumMembers.indexOf(v);
          return v;
        };
        return { value: test(compare(norm(lv), norm(rv))) };
      }
    }
  };

  // BC turns a filter into per-field filters: `or` can only combine conditions on one field
  // (use-filter-expressions-in-odata-uris.md). The error text is the emulator's own.
  const checkOr = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const t = node as Node;
    if (t.type === 'OrExpression') {
      const { left, right } = t.value as { left: Node; right: Node };
      const fields = new Set([...fieldsOf(left), ...fieldsOf(right)]);
      if (fields.size > 1) {
        throw badRequest(`The 'or' operator is only supported between conditions on the same field (${[...fields].join(', ')}).`); // prettier-ignore
      }
    }
    for (const value of Object.values(t)) if (value && typeof value === 'object') checkOr(value);
  };
  checkOr(ast);
  // Evaluate once against a blank row so type errors surface even on an empty set.
  const blank = Object.fromEntries(set.properties.map((p) => [p.name, null]));
  evaluate(ast, blank);
  return (row) => evaluate(ast, row).value === true;
}
