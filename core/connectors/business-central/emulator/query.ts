// System query options ($filter, $orderby, $select, $expand, $top, $skip, $count, $skiptoken) parsed with
// @odata/parser and checked against the catalog; ordering and key-based server-driven paging.
import { defaultParser } from '@odata/parser';
import { type BcApiVersion, type BcEntitySet, type BcNavigation, bcCatalog } from '../catalog.js';
import { badRequest } from './errors.js';
import { compileFilter, type RowPredicate, syntaxError, unknownProperty } from './filter.js';
import type { Row } from './values.js';

interface Node {
  type: string;
  value: unknown;
  raw?: string;
}

export interface OrderItem {
  property: string;
  descending: boolean;
}

export interface ExpandItem {
  navigation: BcNavigation;
  set: BcEntitySet;
  query: Query;
}

export interface Query {
  filter?: RowPredicate;
  orderBy: OrderItem[];
  top?: number;
  skip?: number;
  select?: string[];
  expand: ExpandItem[];
  count: boolean;
  skipToken?: string;
}

const SUPPORTED = new Set([
  '$filter',
  '$orderby',
  '$select',
  '$expand',
  '$top',
  '$skip',
  '$count',
  '$skiptoken',
  '$schemaversion',
  '$format',
]);

function options(text: string): Node[] {
  try {
    const parsed = defaultParser.query(text) as unknown as { value: { options: Node[] } };
    return parsed.value.options;
  } catch (error) {
    throw syntaxError(text, error);
  }
}

function identifierName(node: unknown): string {
  let current = node as Node | undefined;
  while (current && typeof current === 'object') {
    const value = current.value as { name?: string } | undefined;
    if (value && typeof value === 'object' && typeof value.name === 'string') return value.name;
    current = current.value as Node;
  }
  throw badRequest('The query specified in the URI is not valid.');
}

function count(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw badRequest(`Invalid value '${text}' for ${name} query option found.`);
  return Number(text);
}

export function setOfNavigation(version: BcApiVersion, navigation: BcNavigation): BcEntitySet | undefined {
  const catalog = bcCatalog(version);
  return navigation.entitySet
    ? catalog.entitySet(navigation.entitySet)
    : catalog.entitySets.find((s) => s.entityType === navigation.entityType);
}

/** Parses query options for one entity set (recursively for $expand's own options). */
export function parseQuery(params: Map<string, string>, set: BcEntitySet, version: BcApiVersion): Query {
  for (const name of params.keys()) {
    if (name.startsWith('$') && !SUPPORTED.has(name)) {
      throw badRequest(`The query parameter '${name}' is not supported.`);
    }
  }
  const property = (name: string) => {
    if (!set.properties.some((p) => p.name === name)) throw unknownProperty(set, name);
    return name;
  };
  const query: Query = { orderBy: [], expand: [], count: params.get('$count') === 'true' };
  const filter = params.get('$filter');
  if (filter !== undefined) query.filter = compileFilter(filter, set);
  query.top = count(params.get('$top'), '$top');
  query.skip = count(params.get('$skip'), '$skip');
  query.skipToken = params.get('$skiptoken');

  const orderby = params.get('$orderby');
  if (orderby !== undefined) {
    const [node] = options(`$orderby=${orderby}`);
    for (const item of (node!.value as { items: Node[] }).items) {
      const { expr, direction } = item.value as { expr: Node; direction: number };
      query.orderBy.push({ property: property(identifierName(expr)), descending: direction < 0 });
    }
  }
  const select = params.get('$select');
  if (select !== undefined && select.trim() !== '*') {
    query.select = select.split(',').map((name) => property(name.trim()));
  }
  const expand = params.get('$expand');
  if (expand !== undefined) {
    const [node] = options(`$expand=${expand}`);
    for (const item of (node!.value as { items: Node[] }).items) {
      const { path, options: nested } = item.value as { path: Node; options?: Node[] };
      const name = identifierName((path.value as Node[])[0]);
      const navigation = set.navigation.find((n) => n.name === name);
      if (!navigation) throw unknownProperty(set, name);
      const target = setOfNavigation(version, navigation);
      if (!target) throw badRequest(`The navigation property '${name}' cannot be expanded.`);
      const inner = new Map<string, string>();
      for (const option of nested ?? []) {
        const raw = option.raw ?? '';
        const at = raw.indexOf('=');
        if (at > 0) inner.set(raw.slice(0, at), raw.slice(at + 1));
      }
      query.expand.push({ navigation, set: target, query: parseQuery(inner, target, version) });
    }
  }
  return query;
}

/** BC lists rows in the table's primary key order; the emulator approximates it with the natural number/code. */
export function defaultOrder(set: BcEntitySet): OrderItem[] {
  const names = set.properties.map((p) => p.name);
  const order: OrderItem[] = [];
  for (const parent of ['documentId', 'journalId']) if (names.includes(parent)) order.push({ property: parent, descending: false }); // prettier-ignore
  const natural = ['number', 'code', 'entryNumber', 'lineNumber', 'sequence'].find((n) => names.includes(n));
  if (natural) order.push({ property: natural, descending: false });
  return order;
}

function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export interface Positioned {
  row: Row;
  key: string;
}

/** Sorts by the given order, then by key, so every row has one stable position (the skiptoken). */
export function sortRows<T extends Positioned>(rows: T[], order: OrderItem[]): T[] {
  const tuple = (r: T) => order.map((o) => r.row[o.property]);
  return [...rows].sort((x, y) => {
    const a = tuple(x);
    const b = tuple(y);
    for (let i = 0; i < order.length; i++) {
      const c = compareValues(a[i], b[i]);
      if (c !== 0) return order[i]!.descending ? -c : c;
    }
    return compareValues(x.key, y.key);
  });
}

interface SkipToken {
  /** Sort values and key of the last row served. */
  v: unknown[];
  k: string;
  /** Rows served so far (for $top across pages). */
  n: number;
}

export function encodeSkipToken(last: Positioned, order: OrderItem[], served: number): string {
  const token: SkipToken = { v: order.map((o) => last.row[o.property]), k: last.key, n: served };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

/** The rows after a skiptoken's position (rows sorted by `order`), and how many were served before. */
export function afterSkipToken<T extends Positioned>(
  rows: T[],
  order: OrderItem[],
  text: string,
): { rows: T[]; served: number } {
  let token: SkipToken;
  try {
    token = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as SkipToken;
    if (!Array.isArray(token.v) || typeof token.k !== 'string') throw new Error('shape');
  } catch {
    throw badRequest(`The skip token value '${text}' is invalid.`);
  }
  const after = (r: T) => {
    for (let i = 0; i < order.length; i++) {
      const c = compareValues(r.row[order[i]!.property], token.v[i]);
      if (c !== 0) return (order[i]!.descending ? -c : c) > 0;
    }
    return compareValues(r.key, token.k) > 0;
  };
  const index = rows.findIndex(after);
  return { rows: index < 0 ? [] : rows.slice(index), served: token.n };
}
