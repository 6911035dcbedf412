// The emulator's database: top-level records per entity name, shared by every endpoint and version (one Acumatica
// database serves them all; each endpoint version is a view of its fields). Records are indexed by id and by their
// key fields (keys.ts; case-insensitive, as SQL Server compares them), and keep Acumatica's audit fields current.
import { ACUMATICA_KEYS } from '../keys.js';
import { isoDateTime, type AcuRecord, type Primitive } from './values.js';

export interface StoredFile {
  id: string;
  /** As Acumatica names attachments: '<screen title> (<keys>)\<file name>'. */
  name: string;
  contentBase64: string;
  entity: string;
  recordId: string;
}

export interface StoreData {
  format: 'ferry-acumatica-emulator/1';
  /** Last number handed out per number series ('SalesOrder:SO', '#StockItem', …). */
  counters: Record<string, number>;
  entities: Record<string, AcuRecord[]>;
  files: StoredFile[];
  /** Internal integer ids (InventoryID, BAccountID, … in the DAC-based OData) by record id. */
  numbers: Record<string, number>;
}

export const emptyStoreData = (): StoreData => ({
  format: 'ferry-acumatica-emulator/1',
  counters: {},
  entities: {},
  files: [],
  numbers: {},
});

/** Acumatica's audit fields; each endpoint version shows those its definition has (StockItem: LastModified). */
const MODIFIED_FIELDS = ['LastModifiedDateTime', 'LastModified'];

export function keyFieldsOf(entity: string): readonly string[] {
  return ACUMATICA_KEYS[entity] ?? [];
}

function keyString(values: Primitive[]): string {
  return values.map((v) => String(v ?? '').toLowerCase()).join('\u0001');
}

export class AcuStore {
  private readonly tables = new Map<string, Map<string, AcuRecord>>();
  private readonly keyIndex = new Map<string, Map<string, string>>();
  private readonly owners = new Map<string, string>();
  private readonly files = new Map<string, StoredFile>();
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly data: StoreData,
    private readonly now: () => number = Date.now,
  ) {
    for (const [entity, records] of Object.entries(data.entities)) {
      for (const record of records) this.index(entity, record);
    }
    for (const file of data.files) this.files.set(file.id, file);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  private index(entity: string, record: AcuRecord): void {
    let table = this.tables.get(entity);
    if (!table) this.tables.set(entity, (table = new Map()));
    table.set(record.id, record);
    this.owners.set(record.id, entity);
    const key = this.keyOf(entity, record);
    if (key !== undefined) {
      let keys = this.keyIndex.get(entity);
      if (!keys) this.keyIndex.set(entity, (keys = new Map()));
      keys.set(key, record.id);
    }
  }

  private unindex(entity: string, record: AcuRecord): void {
    this.tables.get(entity)?.delete(record.id);
    this.owners.delete(record.id);
    const key = this.keyOf(entity, record);
    if (key !== undefined && this.keyIndex.get(entity)?.get(key) === record.id) this.keyIndex.get(entity)!.delete(key);
  }

  /** The key of a record, or undefined when the entity has no keys or a key field is empty. */
  keyOf(entity: string, record: AcuRecord): string | undefined {
    const fields = keyFieldsOf(entity);
    if (fields.length === 0) return undefined;
    const values = fields.map((f) => record.fields[f] ?? null);
    return values.some((v) => v === null || v === '') ? undefined : keyString(values);
  }

  records(entity: string): AcuRecord[] {
    return [...(this.tables.get(entity)?.values() ?? [])];
  }

  count(entity: string): number {
    return this.tables.get(entity)?.size ?? 0;
  }

  find(entity: string, id: string): AcuRecord | undefined {
    return this.tables.get(entity)?.get(id.toLowerCase());
  }

  /** The entity a record id belongs to (file links and action status name records by id only). */
  ownerOf(id: string): string | undefined {
    return this.owners.get(id.toLowerCase());
  }

  findByKeys(entity: string, values: Primitive[]): AcuRecord | undefined {
    const id = this.keyIndex.get(entity)?.get(keyString(values));
    return id === undefined ? undefined : this.find(entity, id);
  }

  /** Internal integer id of a record (DAC-based OData shows BAccountID, InventoryID, … as numbers). */
  numberOf(entity: string, record: AcuRecord): number {
    let n = this.data.numbers[record.id];
    if (n === undefined) {
      n = this.next(`#${entity}`);
      this.data.numbers[record.id] = n;
    }
    return n;
  }

  /** Gives a record a fixed internal id and moves the series past it (seeded records named by number). */
  assignNumber(entity: string, record: AcuRecord, n: number): void {
    this.data.numbers[record.id] = n;
    this.data.counters[`#${entity}`] = Math.max(this.data.counters[`#${entity}`] ?? 0, n);
  }

  /** Next number of a series (auto-numbering, internal ids). */
  next(series: string, start = 1): number {
    const n = Math.max((this.data.counters[series] ?? start - 1) + 1, start);
    this.data.counters[series] = n;
    return n;
  }

  /**
   * Inserts or replaces a top-level record after a change: re-indexes its keys and stamps the audit fields
   * (CreatedDateTime once, LastModifiedDateTime / LastModified on every save).
   */
  save(entity: string, record: AcuRecord, previous?: AcuRecord): void {
    const stamp = isoDateTime(this.now());
    if (previous) this.unindex(entity, previous);
    if (!previous && (record.fields.CreatedDateTime ?? null) === null) record.fields.CreatedDateTime = stamp;
    for (const field of MODIFIED_FIELDS) record.fields[field] = stamp;
    const list = (this.data.entities[entity] ??= []);
    const at = previous ? list.findIndex((r) => r.id === previous.id) : -1;
    if (at >= 0) list[at] = record;
    else list.push(record);
    this.index(entity, record);
    this.numberOf(entity, record);
    this.changed();
  }

  /** Adds seeded records as they are (their audit fields come with them). */
  load(entity: string, record: AcuRecord): void {
    (this.data.entities[entity] ??= []).push(record);
    this.index(entity, record);
    this.numberOf(entity, record);
  }

  remove(entity: string, id: string): boolean {
    const record = this.find(entity, id);
    if (!record) return false;
    this.unindex(entity, record);
    const list = this.data.entities[entity]!;
    list.splice(list.indexOf(record), 1);
    this.changed();
    return true;
  }

  addFile(file: StoredFile, record: AcuRecord): void {
    this.files.set(file.id, file);
    this.data.files.push(file);
    record.files = [...(record.files ?? []), file.id];
    this.changed();
  }

  file(id: string): StoredFile | undefined {
    return this.files.get(id.toLowerCase());
  }

  toJSON(): StoreData {
    return this.data;
  }
}
