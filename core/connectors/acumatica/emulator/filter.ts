// $filter as Acumatica's contract-based API takes it (MYOB guide "$filter Parameter"): OData URI conventions with
// eq ne gt ge lt le and or not, substringof / startswith / endswith (and OData v4's contains …), linked-entity
// fields (`MainContact/Email eq 'x'`), custom fields (`cf.Decimal(f='Document.CuryBalanceWOTotal') eq 0M`) and
// OData v3 literal forms (`datetimeoffset'2024-07-15T10:31:28.402+03:00'`, `guid'…'`, `0M`, `10L`). Comparisons of
// text ignore case, as the SQL Server collation under Acumatica does. Fields of detail entities cannot be filtered on.
//
// @odata/parser reads OData v4 only, so `preprocessFilter` first rewrites the v3 forms into v4 literals (outside
// quoted strings) and each custom-field call into a placeholder identifier; the tree walk is the emulators' shared one.
import {
  compareValues,
  compileFilterTree,
  filterFields,
  type FilterNode,
  type FilterPredicate,
  ODATA_STRING_FUNCTIONS,
  parseFilter,
} from '../../emulator-kit/odata-filter.js';
import { badRequest } from './errors.js';
import { CUSTOM_FIELD_TYPES, parseDateTime, type Primitive } from './values.js';

export interface CustomFieldRef {
  view: string;
  field: string;
  /** The wrapper type the custom field holds ('DecimalValue' for cf.Decimal). */
  type: string;
}

export interface PreparedFilter {
  text: string;
  /** Placeholder identifier → the custom field it stands for. */
  custom: Map<string, CustomFieldRef>;
}

const V3_PREFIXES = new Set(['datetimeoffset', 'datetime', 'guid', 'time']);

/** Rewrites Acumatica's OData v3 literal forms and custom-field calls into text @odata/parser reads. */
export function preprocessFilter(text: string): PreparedFilter {
  const custom = new Map<string, CustomFieldRef>();
  const withCustom = text.replace(/cf\.(\w+)\(\s*f\s*=\s*'([^'.]+)\.([^']+)'\s*\)/g, (_, kind: string, view, field) => {
    const name = `cf__${custom.size}`;
    custom.set(name, { view, field, type: CUSTOM_FIELD_TYPES[`Custom${kind}Field`] ?? 'StringValue' });
    return name;
  });
  let out = '';
  for (let i = 0; i < withCustom.length;) {
    const ch = withCustom[i]!;
    if (ch !== "'") {
      out += ch;
      i++;
      continue;
    }
    // A quoted literal runs to the next quote not doubled ('' is an escaped quote).
    let end = i + 1;
    while (end < withCustom.length && !(withCustom[end] === "'" && withCustom[end + 1] !== "'")) {
      end += withCustom[end] === "'" ? 2 : 1;
    }
    const prefix = /([A-Za-z]+)$/.exec(out)?.[1];
    if (prefix && V3_PREFIXES.has(prefix.toLowerCase())) {
      out = out.slice(0, out.length - prefix.length) + withCustom.slice(i + 1, end);
    } else {
      out += withCustom.slice(i, end + 1);
    }
    i = end + 1;
  }
  // Numeric type suffixes of OData v3 (0M decimal, 10L long, 1.5d double, 2f single), outside strings.
  const parts = out.split(/('(?:[^']|'')*')/);
  const text2 = parts.map((p, n) => (n % 2 === 1 ? p : p.replace(/\b(\d+(?:\.\d+)?)[mMlLdDfF]\b/g, '$1'))).join('');
  return { text: text2, custom };
}

/** What a filter path reads: a field of the entity or of a linked entity, with its wrapper type. */
export interface FieldRef {
  type: string;
  read: (record: unknown) => Primitive | undefined;
}

/** A date literal compared with a date-time: equal within that day (UTC), ordered from its midnight. */
interface DayLiteral {
  day: number;
}

const DAY_MS = 86_400_000;

function readLiteral(node: FilterNode, type: string | undefined): unknown {
  const raw = node.raw ?? '';
  const edm = node.value as string;
  if (edm === 'null') return null;
  if (edm === 'Edm.String') return raw.slice(1, -1).replace(/''/g, "'");
  if (edm === 'Edm.Boolean') return raw === 'true';
  if (edm === 'Edm.Date') {
    const ms = parseDateTime(raw)!;
    return type === 'DateTimeValue' ? ({ day: ms } satisfies DayLiteral) : ms;
  }
  if (edm === 'Edm.DateTimeOffset') return parseDateTime(raw);
  if (edm === 'Edm.Guid') return raw.toLowerCase();
  if (/^Edm\.(S?Byte|Int\d+|Decimal|Double|Single)$/.test(edm)) return Number(raw);
  throw badRequest(`The literal '${raw}' is not supported in $filter.`);
}

const lower = (v: unknown) => String(v ?? '').toLowerCase();

// Acumatica (SQL Server) matches text without regard to case, in functions as in comparisons.
const FUNCTIONS: Record<string, (...args: unknown[]) => unknown> = {
  ...ODATA_STRING_FUNCTIONS,
  substringof: (needle, haystack) => lower(haystack).includes(lower(needle)),
  contains: (s, t) => lower(s).includes(lower(t)),
  startswith: (s, t) => lower(s).startsWith(lower(t)),
  endswith: (s, t) => lower(s).endsWith(lower(t)),
};

const isDay = (v: unknown): v is DayLiteral => typeof v === 'object' && v !== null && 'day' in v;

/** Orders a date-time (ms) against a day: equality means within the day, order is against its midnight. */
function compareToDay(value: unknown, day: number, operator: string): number {
  if (typeof value !== 'number') return -1;
  const equality = operator === 'EqualsExpression' || operator === 'NotEqualsExpression';
  if (equality && value >= day && value < day + DAY_MS) return 0;
  return value === day ? 0 : value < day ? -1 : 1;
}

export interface CompiledFilter {
  predicate: FilterPredicate<unknown>;
  /** The paths the filter compares ('Type', 'MainContact/Email'), custom fields left out. */
  fields: string[];
}

/**
 * Compiles `$filter` text: `resolve` maps a path (['MainContact', 'Email'], or a custom-field placeholder's
 * reference) to what it reads; it throws for unknown fields and for detail entities — for every path the filter
 * names, before any record is read.
 */
export function compileAcuFilter(
  text: string,
  resolve: (path: string[], custom?: CustomFieldRef) => FieldRef,
): CompiledFilter {
  const prepared = preprocessFilter(text);
  const ast = parseFilter(prepared.text, (position) =>
    badRequest(`The $filter expression '${text}' is not valid: syntax error at position ${position}.`),
  );
  const refs = new Map<string, FieldRef>();
  for (const path of filterFields(ast)) {
    const segments = path.split('/');
    refs.set(path, resolve(segments, segments.length === 1 ? prepared.custom.get(path) : undefined));
  }
  const predicate = compileFilterTree<unknown, string>(ast, {
    member(path) {
      const ref = refs.get(path.join('/'))!;
      return { property: ref.type, read: ref.read };
    },
    literal: (node, type) => readLiteral(node, type),
    normalize(value, type) {
      if (type === 'DateTimeValue' && typeof value === 'string') return parseDateTime(value);
      if (type === 'StringValue' && typeof value === 'string') return value.toLowerCase();
      return value;
    },
    compare(a, b, _type, operator) {
      if (isDay(b)) return compareToDay(a, b.day, operator);
      if (isDay(a)) return -compareToDay(b, a.day, operator);
      return compareValues(a, b);
    },
    functions: FUNCTIONS,
    error: badRequest,
  });
  // Literals are read on evaluation: one run on an empty record makes a bad one fail even when nothing matches.
  predicate(undefined);
  return { predicate, fields: [...refs.keys()].filter((path) => !prepared.custom.has(path)) };
}
