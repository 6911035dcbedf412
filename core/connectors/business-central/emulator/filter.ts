// $filter as Business Central evaluates it. Parsing and the tree walk are the emulators' shared OData filter
// (emulator-kit/odata-filter.ts); this file is BC's model of it: the property types of the catalog decide how a
// literal is read (dates and date-times unquoted, GUIDs unquoted, enums as quoted member names in either escaped or
// plain form), and `or` may only combine conditions on one field.
import type { BcEntitySet, BcProperty } from '../catalog.js';
import {
  compileFilterTree,
  filterFields,
  type FilterNode as Node,
  ODATA_STRING_FUNCTIONS,
  parseFilter,
  walkFilter,
} from '../../emulator-kit/odata-filter.js';
import { badRequest } from './errors.js';
import { enumMember, type Row } from './values.js';

export type RowPredicate = (row: Row) => boolean;

export function syntaxError(text: string, error: unknown): Error {
  const position = /at (\d+)/.exec(String((error as Error).message ?? ''))?.[1] ?? '0';
  return badRequest(`Syntax error at position ${position} in '${text}'.`);
}

export const unknownProperty = (set: BcEntitySet, name: string) =>
  badRequest(`Could not find a property named '${name}' on type 'Microsoft.NAV.${set.entityType}'.`);

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

/** Compiles `$filter` text for an entity set; unknown properties and syntax errors become BC's 400 errors. */
export function compileFilter(text: string, set: BcEntitySet): RowPredicate {
  const ast = parseFilter(text, (position) => badRequest(`Syntax error at position ${position} in '${text}'.`));
  // BC turns a filter into per-field filters: `or` can only combine conditions on one field
  // (use-filter-expressions-in-odata-uris.md). The error text is the emulator's own.
  walkFilter(ast, (t) => {
    if (t.type !== 'OrExpression') return;
    const { left, right } = t.value as { left: Node; right: Node };
    const fields = new Set([...filterFields(left), ...filterFields(right)]);
    if (fields.size > 1) {
      throw badRequest(`The 'or' operator is only supported between conditions on the same field (${[...fields].join(', ')}).`); // prettier-ignore
    }
  });
  const predicate = compileFilterTree<Row, BcProperty>(ast, {
    member([name, member]) {
      const property = set.properties.find((p) => p.name === name);
      if (!property) throw unknownProperty(set, name ?? '');
      if (member === undefined) return { property, read: (row) => row[name!] };
      const inner = property.properties?.find((p) => p.name === member);
      if (!inner) throw badRequest(`Could not find a property named '${member}' on type '${property.edmType}'.`);
      return { property: inner, read: (row) => (row[name!] as Row | undefined)?.[member] };
    },
    literal: readLiteral,
    normalize(v, property) {
      if (property?.edmType === 'Edm.DateTimeOffset' && typeof v === 'string') return Date.parse(v);
      if (property?.edmType === 'Edm.Guid' && typeof v === 'string') return v.toLowerCase();
      if (property?.enumMembers && typeof v === 'string') return property.enumMembers.indexOf(v);
      return v;
    },
    functions: ODATA_STRING_FUNCTIONS,
    error: badRequest,
  });
  // Evaluate once against a blank row so type errors surface even on an empty set.
  const blank = Object.fromEntries(set.properties.map((p) => [p.name, null]));
  predicate(blank);
  return predicate;
}
