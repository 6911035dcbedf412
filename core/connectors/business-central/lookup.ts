/**
 * A lookup node on Business Central: finds records of an entity set by field values (customer by email, item by
 * number). Criteria on one field go out together as `field eq … or field eq …` (lookup-batch.ts); every request
 * goes through the transport, so it holds a slot of the connection's pool and of the principal's budget.
 */
import type { RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import { booleanLiteral, findAllByCriteria, findByCriteria, type LookupQuery, numberLiteral } from '../lookup-batch.js';
import type { LookupRuntime } from '../types.js';
import type { BcEntitySet, BcProperty } from './catalog.js';
import type { BcClient } from './client.js';
import type { BcLookupConfig } from './descriptor.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = /^Edm\.(S?Byte|Int\d+|Decimal|Double|Single)$/;

export function createLookupRuntime(
  client: BcClient,
  config: BcLookupConfig,
  close: () => Promise<void>,
): LookupRuntime {
  const set = client.entitySet(config.entity);
  const property = (field: string): BcProperty => {
    const found = set.properties.find((p) => p.name === field);
    if (!found || found.properties || found.collection) {
      const near = set.properties.find((p) => p.name.toLowerCase() === field.toLowerCase());
      throw new ConfigError(
        `${set.name} has no field "${field}" to look up by${near ? ` (did you mean ${near.name}?)` : ''}`,
      );
    }
    return found;
  };
  const query: LookupQuery = {
    literal: (field, value) => filterLiteral(property(field), value),
    filterPath: (field) => field,
    query: (filter, top, matched, querySignal) => read(client, set, config, filter, top, matched, querySignal),
    parallel: client.transport.parallel,
  };
  return {
    find: (criteria, signal) => findByCriteria(criteria, query, signal),
    // Every match (an item's sales order lines): the same `or` batches, each read through `@odata.nextLink` to its
    // last page, so a match on page two is not lost.
    findAll: (criteria, signal) => findAllByCriteria(criteria, query, signal),
    close,
  };
}

async function read(
  client: BcClient,
  set: BcEntitySet,
  config: BcLookupConfig,
  filter: string,
  top: number | undefined,
  matched: readonly string[],
  signal: AbortSignal,
): Promise<RecordData[]> {
  const where = config.filter ? `(${config.filter}) and (${filter})` : filter;
  // The compared fields ride along in a `$select`: the answers are matched back by them.
  const fields = config.fields && [...new Set([...config.fields, ...matched])];
  if (top !== undefined) return client.findWhere(set, where, signal, { top, fields });
  const out: RecordData[] = [];
  const query = { filter: where, fields, maxPageSize: 1000, signal };
  for await (const page of client.pages(set.name, query)) out.push(...page);
  return out;
}

/**
 * The `$filter` literal of a value for a property, by its EDM type as BC reads it (GUIDs, dates and numbers bare,
 * text and enum members quoted); undefined when the property cannot hold the value (then nothing can match it).
 */
export function filterLiteral(property: BcProperty, value: unknown): string | undefined {
  const type = property.edmType;
  if (type === 'Edm.String' || property.enumMembers) return `'${String(value).replace(/'/g, "''")}'`;
  if (type === 'Edm.Guid') return GUID.test(String(value)) ? String(value) : undefined;
  if (type === 'Edm.Boolean') return booleanLiteral(value);
  if (NUMERIC.test(type)) return numberLiteral(value);
  const time = value instanceof Date ? value.getTime() : Date.parse(String(value));
  if (Number.isNaN(time)) return undefined;
  if (type === 'Edm.Date') return new Date(time).toISOString().slice(0, 10);
  if (type === 'Edm.DateTimeOffset') return new Date(time).toISOString();
  return undefined;
}
