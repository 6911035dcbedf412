/**
 * A lookup node on Lightspeed: finds products, customers or sales by the fields X-Series' /search takes (products by
 * sku — many SKUs per request —, customers by email, sales by invoice_number, …; `id` by the search's `_id`).
 * Criteria on one field go out together (key-index.ts); criteria on several fields are one search each, with every
 * field as a parameter. Answers are held against the criteria again (e-mail without regard to case).
 */
import type { RecordData } from '../../engine/record.js';
import { ConfigError } from '../errors.js';
import { inParallel } from '../parallel.js';
import type { LookupRuntime } from '../types.js';
import type { LsClient } from './client.js';
import type { LsLookupConfig } from './descriptor.js';
import { keyText, searchBy } from './key-index.js';

type Criteria = Readonly<Record<string, unknown>>;

export function createLookupRuntime(
  client: LsClient,
  config: LsLookupConfig,
  close: () => Promise<void>,
): LookupRuntime {
  // prettier-ignore
  const entity = client.entity(config.entity);
  const param = (field: string): string => {
    if (field === 'id') return '_id';
    if (entity.search.includes(field)) return field;
    throw new ConfigError(`lookup of ${entity.name} by "${field}": Lightspeed's search finds ${entity.name} by ${['id', ...entity.search].join(', ')}`); // prettier-ignore
  };
  const matches = (record: RecordData, c: Criteria) =>
    Object.entries(c).every(([field, value]) => keyText(field, record[field]) === keyText(field, value));

  return {
    async find(criteria, signal) {
      const answers = new Array<RecordData | undefined>(criteria.length);
      const single = new Map<string, number[]>();
      const several: number[] = [];
      criteria.forEach((c, i) => {
        const fields = Object.keys(c);
        fields.forEach(param);
        // An empty value finds nothing.
        if (fields.length === 0 || fields.some((f) => keyText(f, c[f]) === undefined)) return;
        if (fields.length > 1) return void several.push(i);
        const list = single.get(fields[0]!) ?? [];
        single.set(fields[0]!, [...list, i]);
      });
      for (const [field, indexes] of single) {
        if (field === 'id') {
          several.push(...indexes);
          continue;
        }
        const found = await searchBy(
          client,
          entity.name,
          field,
          indexes.map((i) => criteria[i]![field]),
          signal,
        );
        for (const i of indexes) answers[i] = found.get(keyText(field, criteria[i]![field])!);
      }
      await inParallel(several.length, client.transport.parallel, signal, async (n, taskSignal) => {
        const c = criteria[several[n]!]!;
        const params = Object.entries(c).map(([field, value]): [string, string] => [
          param(field),
          String(value).trim(),
        ]);
        const records = await client.search(entity.name, params, taskSignal);
        answers[several[n]!] = records.find((r) => matches(r, c));
      });
      return answers;
    },
    close,
  };
}
