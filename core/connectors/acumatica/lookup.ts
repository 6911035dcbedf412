/**
 * A lookup node on Acumatica: finds records of a top-level entity by field values (Customer by MainContact.Email,
 * StockItem by InventoryID). Criteria on one field are asked together with `or` (lookup-batch.ts); literals follow
 * the contract API's `$filter` rules by the field's wrapper type (quoted text, `guid'…'`, `datetimeoffset'…'`, bare
 * numbers and booleans). Linked entities' fields are filtered as `MainContact/Email`; detail and custom fields
 * cannot be filtered on. Every request goes through the session's transport: the pool and the per-minute budget
 * count it.
 */
import type { RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import { booleanLiteral, findByCriteria, numberLiteral } from '../lookup-batch.js';
import type { LookupRuntime } from '../types.js';
import type { AcuField } from './catalog.js';
import type { AcuClient } from './client.js';
import { dateTimeOffsetLiteral, literal } from './client.js';
import type { AcuLookupConfig } from './descriptor.js';
import { checkFieldPaths, resolvePath } from './paths.js';
import { CUSTOM_PREFIX } from './wire.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NUMERIC = new Set(['DecimalValue', 'IntValue', 'ShortValue', 'LongValue', 'ByteValue', 'DoubleValue']);

export function createLookupRuntime(
  client: AcuClient,
  config: AcuLookupConfig,
  close: () => Promise<void>,
): LookupRuntime {
  const entity = client.entity(config.entity);
  checkFieldPaths(client.catalog, entity, [...(config.fields ?? []), ...(config.expand ?? [])]);
  const fieldOf = (path: string): AcuField => {
    if (path.startsWith(CUSTOM_PREFIX)) throw new ConfigError(`${path}: Ferry cannot look up by a custom field`);
    const { field, links } = resolvePath(client.catalog, entity, path);
    if (!field) throw new ConfigError(`${path} is not a field of ${entity.name} to look up by`);
    if (links.some((l) => l.collection)) {
      throw new ConfigError(`${path}: Acumatica cannot filter on the fields of a detail (${links[0]!.name})`);
    }
    return field;
  };
  return {
    find(criteria, signal) {
      return findByCriteria(
        criteria,
        {
          literal: (path, value) => filterLiteral(fieldOf(path), value),
          filterPath: (path) => path.replace(/\./g, '/'),
          query: async (filter, top, matched, querySignal) => {
            const where = config.filter ? `(${config.filter}) and (${filter})` : filter;
            const fields = config.fields && [...new Set([...config.fields, ...matched])];
            const query = { fields, expand: config.expand, filter: where, signal: querySignal };
            const out: RecordData[] = [];
            for await (const page of client.pages(entity.name, { ...query, pageSize: top ?? 500 })) {
              out.push(...page);
              if (top !== undefined) break;
            }
            return out;
          },
          parallel: client.transport.parallel,
        },
        signal,
      );
    },
    close,
  };
}

/** The `$filter` literal of a value for a field, or undefined when the field cannot hold it (nothing can match). */
export function filterLiteral(field: AcuField, value: unknown): string | undefined {
  if (field.type === 'StringValue') return literal(String(value));
  if (field.type === 'GuidValue') return GUID.test(String(value)) ? `guid'${String(value)}'` : undefined;
  if (field.type === 'BooleanValue') return booleanLiteral(value);
  if (NUMERIC.has(field.type)) return numberLiteral(value);
  if (field.type === 'DateTimeValue') {
    const text = value instanceof Date ? value.toISOString() : String(value);
    return Number.isNaN(Date.parse(text)) ? undefined : dateTimeOffsetLiteral(text);
  }
  return literal(String(value));
}
