// The emulated store's data: every resource held in its API 2.0 shape, each collection kept in version order. The
// API's `version` is one counter for the whole store that every write advances (docs/pagination: "a per-resource
// monotonically increasing version"), so a record that changes moves to the end of its collection and a list by
// `after` is a binary search plus a slice.
import { randomUUID } from 'node:crypto';

export type LsRecord = Record<string, unknown> & { id: string; version: number };

/** The collections a client can page through with `after` (GET /api/2.0/<name>). */
export const COLLECTIONS = [
  'products',
  'customers',
  'sales',
  'inventory',
  'outlets',
  'registers',
  'taxes',
  'payment_types',
  'users',
  'brands',
  'product_types',
  'tags',
  'suppliers',
  'variant_attributes',
  'customer_groups',
  /** Uploaded product images (images.ts); not a list resource of the API, read one by one. */
  'product_images',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

export interface StoreData {
  format: 'ferry-lightspeed-emulator/1';
  /** The last version given out. */
  version: number;
  /** Sequence for generated codes (customer codes, invoice numbers). */
  sequence: number;
  retailer: Record<string, unknown>;
  collections: Record<Collection, LsRecord[]>;
}

export interface ListQuery {
  after?: number;
  before?: number;
  pageSize: number;
  /** Include soft-deleted records (those with deleted_at). */
  deleted: boolean;
}

export function emptyStoreData(retailer: Record<string, unknown>): StoreData {
  const collections = Object.fromEntries(COLLECTIONS.map((c) => [c, [] as LsRecord[]])) as StoreData['collections'];
  return { format: 'ferry-lightspeed-emulator/1', version: 0, sequence: 1000, retailer, collections };
}

export class LsStore {
  private readonly byId = new Map<Collection, Map<string, LsRecord>>();
  /** Inventory records by product and outlet (`product|outlet` → record): one per pair. */
  private readonly stock = new Map<string, LsRecord>();
  private readonly listeners: (() => void)[] = [];

  constructor(
    readonly data: StoreData,
    private readonly now: () => number,
    /** Ids of what the API creates (the seed passes its own generator, so a seeded store is the same everywhere). */
    readonly newId: () => string = randomUUID,
  ) {
    for (const c of COLLECTIONS) {
      data.collections[c] ??= [];
      data.collections[c].sort((a, b) => a.version - b.version);
      this.byId.set(c, new Map(data.collections[c].map((r) => [r.id, r])));
    }
    for (const r of data.collections.inventory) this.stock.set(`${String(r.product_id)}|${String(r.outlet_id)}`, r);
  }

  get retailer(): Record<string, unknown> {
    return this.data.retailer;
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /** The current time as the API writes timestamps: `2024-01-02T08:00:00+00:00`. */
  timestamp(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00');
  }

  nextSequence(): number {
    return ++this.data.sequence;
  }

  get(collection: Collection, id: string): LsRecord | undefined {
    return this.byId.get(collection)!.get(id);
  }

  /** Every record, deleted ones included, in version order. */
  all(collection: Collection): readonly LsRecord[] {
    return this.data.collections[collection];
  }

  active(collection: Collection): LsRecord[] {
    return this.data.collections[collection].filter((r) => r.deleted_at === null || r.deleted_at === undefined);
  }

  /** The inventory record of a product at an outlet. */
  inventory(productId: string, outletId: string): LsRecord | undefined {
    return this.stock.get(`${productId}|${outletId}`);
  }

  count(collection: Collection): number {
    return this.data.collections[collection].length;
  }

  /** One page: records with after < version (< before), in version order. */
  list(collection: Collection, query: ListQuery): LsRecord[] {
    const rows = this.data.collections[collection];
    let lo = 0;
    let hi = rows.length;
    const after = query.after ?? 0;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid]!.version <= after) lo = mid + 1;
      else hi = mid;
    }
    const page: LsRecord[] = [];
    for (let i = lo; i < rows.length && page.length < query.pageSize; i++) {
      const row = rows[i]!;
      if (query.before !== undefined && row.version >= query.before) break;
      if (!query.deleted && row.deleted_at !== null && row.deleted_at !== undefined) continue;
      page.push(row);
    }
    return page;
  }

  /**
   * Stores a record (new or changed): it gets the next version and moves to the end of its collection; `stamp` sets
   * updated_at (and created_at on a new record) where the resource has them.
   */
  put(collection: Collection, record: Record<string, unknown> & { id: string }, stamp = true): LsRecord {
    const rows = this.data.collections[collection];
    const index = this.byId.get(collection)!;
    const existing = index.get(record.id);
    if (existing) rows.splice(rows.indexOf(existing), 1);
    const stored = record as LsRecord;
    stored.version = ++this.data.version;
    if (stamp) {
      const now = this.timestamp();
      if (!existing && 'created_at' in stored && !stored.created_at) stored.created_at = now;
      if ('updated_at' in stored) stored.updated_at = now;
    }
    rows.push(stored);
    index.set(stored.id, stored);
    if (collection === 'inventory') this.stock.set(`${String(stored.product_id)}|${String(stored.outlet_id)}`, stored);
    for (const listener of this.listeners) listener();
    return stored;
  }

  /** Soft delete (the API keeps the record with deleted_at; lists show it only with deleted=true). */
  remove(collection: Collection, id: string): LsRecord | undefined {
    const record = this.get(collection, id);
    if (!record) return undefined;
    record.deleted_at = this.timestamp();
    return this.put(collection, record, false);
  }

  /** Gone without a trace (the seed's setup only: the API soft-deletes). */
  purge(collection: Collection, id: string): void {
    const record = this.get(collection, id);
    if (!record) return;
    this.data.collections[collection].splice(this.data.collections[collection].indexOf(record), 1);
    this.byId.get(collection)!.delete(id);
    if (collection === 'inventory') this.stock.delete(`${String(record.product_id)}|${String(record.outlet_id)}`);
  }

  toJSON(): StoreData {
    return this.data;
  }
}
