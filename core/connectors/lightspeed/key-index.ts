/**
 * Finding records by a field through `GET /api/2.0/search?type=…` (the spec's search: `sku` and other product
 * parameters "can be used multiple times", so up to SKUS_PER_SEARCH SKUs go in one request; other fields are asked
 * one value per request, side by side). Answers are matched back the way people mean them: e-mail addresses and
 * names without regard to case, everything else as text.
 */
import type { RecordData } from '../../engine/record.js';
import { inParallel } from '../parallel.js';
import type { LsClient } from './client.js';

/** SKUs per /search request: far below any URL limit with SKUs of a few dozen characters. */
export const SKUS_PER_SEARCH = 50;
/** Fields X-Series compares as people type them (an e-mail address in any case is the same address). */
const CASELESS = new Set(['email', 'first_name', 'last_name', 'company_name']);
/** Search parameters the spec lets repeat (any of the values matches). */
const REPEATABLE = new Set(['sku', 'status', 'supplier_id', 'brand_id', 'tag_id', 'product_type_id', 'variant_parent_id']); // prettier-ignore

/** A key value as compared: undefined when empty (an empty key finds nothing). */
export function keyText(field: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (text === '') return undefined;
  return CASELESS.has(field) ? text.toLowerCase() : text;
}

/** The records (first match per value) of `entity` whose `field` equals each of `values`. */
export async function searchBy(
  client: LsClient,
  entityName: string,
  field: string,
  values: readonly unknown[],
  signal: AbortSignal,
): Promise<Map<string, RecordData>> {
  const texts = [...new Set(values.map((v) => keyText(field, v)).filter((t): t is string => t !== undefined))];
  const found = new Map<string, RecordData>();
  const take = (records: readonly RecordData[]) => {
    for (const record of records) {
      const text = keyText(field, record[field]);
      if (text !== undefined && texts.includes(text) && !found.has(text)) found.set(text, record);
    }
  };
  const raw = new Map<string, string>();
  for (const v of values) {
    const text = keyText(field, v);
    if (text !== undefined && !raw.has(text)) raw.set(text, String(v).trim());
  }
  const groups: string[][] = REPEATABLE.has(field)
    ? Array.from({ length: Math.ceil(texts.length / SKUS_PER_SEARCH) }, (_, i) => texts.slice(i * SKUS_PER_SEARCH, (i + 1) * SKUS_PER_SEARCH)) // prettier-ignore
    : texts.map((t) => [t]);
  await inParallel(groups.length, client.transport.parallel, signal, async (i, taskSignal) => {
    const params = groups[i]!.map((t): [string, string] => [field, raw.get(t)!]);
    take(await client.search(entityName, params, taskSignal));
  });
  return found;
}

/** The ids of records by key, as far as this writer has learnt them (searched, or created by it). */
export class KeyIndex {
  /** Key text → id, or null: searched and not found. */
  private readonly known = new Map<string, string | null>();

  constructor(
    private readonly client: LsClient,
    private readonly entityName: string,
    private readonly field: string,
  ) {}

  /** Learns the ids of the values not asked about yet. */
  async find(values: readonly unknown[], signal: AbortSignal): Promise<void> {
    if (this.field === 'id') return;
    const fresh = values.filter((v) => {
      const text = keyText(this.field, v);
      return text !== undefined && !this.known.has(text);
    });
    if (fresh.length === 0) return;
    const found = await searchBy(this.client, this.entityName, this.field, fresh, signal);
    for (const v of fresh) {
      const text = keyText(this.field, v)!;
      const id = found.get(text)?.id;
      this.known.set(text, typeof id === 'string' ? id : null);
    }
  }

  get(value: unknown): string | undefined {
    if (this.field === 'id') return typeof value === 'string' && value !== '' ? value : undefined;
    const text = keyText(this.field, value);
    return text === undefined ? undefined : (this.known.get(text) ?? undefined);
  }

  remember(value: unknown, id: string): void {
    const text = keyText(this.field, value);
    if (text !== undefined) this.known.set(text, id);
  }

  /** Asks again (a create whose fate is unknown): the record, or undefined. */
  async lookUp(value: unknown, signal: AbortSignal): Promise<RecordData | undefined> {
    const text = keyText(this.field, value);
    if (text === undefined) return undefined;
    const record = (await searchBy(this.client, this.entityName, this.field, [value], signal)).get(text);
    this.known.set(text, typeof record?.id === 'string' ? record.id : null);
    return record;
  }
}
