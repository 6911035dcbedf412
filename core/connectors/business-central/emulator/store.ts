// The emulator's database: per company, per (v2.0) entity set, rows keyed by the set's key. Rows are stored in the
// v2.0 shape; the v1.0 endpoint is a view of the same rows (v1-view.ts), as one BC database serves both versions.
import { loadDataFile } from '../../emulator-kit/data-file.js';
import { bcCatalog, type BcEntitySet } from '../catalog.js';
import { BcError } from './errors.js';
import { defaultValue, type Row } from './values.js';

export interface StoredRow {
  row: Row;
  /** Row version (SQL timestamp-like, store-wide and increasing): the ETag derives from it. */
  version: number;
}

export interface CompanyData {
  /** The `companies` entity (id, name, displayName, systemVersion, …). */
  info: Row;
  /** Last number handed out per number series ('C', 'S-ORD', …). */
  counters: Record<string, number>;
  sets: Record<string, StoredRow[]>;
}

export interface StoreData {
  format: 'ferry-bc-emulator/1';
  rowVersion: number;
  companies: CompanyData[];
}

const catalog = () => bcCatalog('v2.0');

export function entitySet(name: string): BcEntitySet {
  const set = catalog().entitySet(name);
  if (!set) throw new Error(`emulator: no entity set ${name} in the v2.0 catalog`);
  return set;
}

/** The key of a row as the store indexes it: key values, lower-cased (GUIDs compare case-insensitively). */
export function keyString(set: BcEntitySet, values: unknown[]): string {
  return values.map((v) => String(v).toLowerCase()).join(',');
}

export const rowKey = (set: BcEntitySet, row: Row) =>
  keyString(
    set,
    set.key.map((k) => row[k]),
  );

/** A weak ETag shaped like BC's (base64 of `'<len>;<version>;00;'`); changes with every write of the row. */
export function etagOf(stored: StoredRow): string {
  const digits = String(stored.version);
  return `W/"${Buffer.from(`'${digits.length};${digits};00;'`).toString('base64')}"`;
}

/** A complete row of `set`: every catalog property, blank where `values` says nothing. */
export function completeRow(set: BcEntitySet, values: Row): Row {
  const row: Row = {};
  for (const property of set.properties) row[property.name] = values[property.name] ?? defaultValue(property);
  return row;
}

export class BcStore {
  private readonly tables = new Map<string, Map<string, Map<string, StoredRow>>>();
  /**
   * Secondary indexes (company, set, field) → value → row keys, built on first use and kept up to date by every
   * write: uniqueness checks and lookups by number must not scan a 100,000-row table per request.
   */
  private readonly indexes = new Map<string, Map<unknown, Set<string>>>();
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly data: StoreData,
    private readonly now: () => number = Date.now,
  ) {
    for (const company of data.companies) {
      const sets = new Map<string, Map<string, StoredRow>>();
      for (const [name, rows] of Object.entries(company.sets)) {
        const set = entitySet(name);
        sets.set(name, new Map(rows.map((stored) => [rowKey(set, stored.row), stored])));
      }
      this.tables.set(String(company.info.id), sets);
    }
  }

  /** Called after every change (persistence). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  companies(): Row[] {
    return this.data.companies.map((c) => c.info);
  }

  /** A company by id (GUID, any case) or by name, as `?company=` accepts either. */
  company(idOrName: string): Row | undefined {
    const wanted = idOrName.toLowerCase();
    return this.companies().find((c) => String(c.id) === wanted || String(c.name).toLowerCase() === wanted);
  }

  private table(companyId: string, setName: string): Map<string, StoredRow> {
    const sets = this.tables.get(companyId);
    if (!sets) throw new Error(`emulator: unknown company ${companyId}`);
    let table = sets.get(setName);
    if (!table) {
      table = new Map();
      sets.set(setName, table);
    }
    return table;
  }

  rows(companyId: string, setName: string): StoredRow[] {
    return [...this.table(companyId, setName).values()];
  }

  get(companyId: string, setName: string, key: string): StoredRow | undefined {
    return this.table(companyId, setName).get(key);
  }

  /** The rows whose `field` equals `value` (strict equality), through an index. */
  findBy(companyId: string, setName: string, field: string, value: unknown): StoredRow[] {
    const table = this.table(companyId, setName);
    const keys = this.index(companyId, setName, field).get(value);
    return keys ? [...keys].map((k) => table.get(k)!).filter(Boolean) : [];
  }

  private indexName(companyId: string, setName: string, field: string): string {
    return `${companyId}\u0000${setName}\u0000${field}`;
  }

  private index(companyId: string, setName: string, field: string): Map<unknown, Set<string>> {
    const name = this.indexName(companyId, setName, field);
    let index = this.indexes.get(name);
    if (!index) {
      index = new Map();
      for (const [key, stored] of this.table(companyId, setName)) addTo(index, stored.row[field], key);
      this.indexes.set(name, index);
    }
    return index;
  }

  /** Keeps every built index of the set in step with one row's change (old undefined: insert; new: remove). */
  private reindex(companyId: string, setName: string, key: string, old: Row | undefined, next: Row | undefined): void {
    const prefix = this.indexName(companyId, setName, '');
    for (const [name, index] of this.indexes) {
      if (!name.startsWith(prefix)) continue;
      const field = name.slice(prefix.length);
      if (old && next && old[field] === next[field]) continue;
      if (old) index.get(old[field])?.delete(key);
      if (next) addTo(index, next[field], key);
    }
  }

  private stamp(set: BcEntitySet, row: Row): void {
    if (set.deltaField) row[set.deltaField] = new Date(this.now()).toISOString();
  }

  insert(companyId: string, setName: string, values: Row): StoredRow {
    const set = entitySet(setName);
    const row = completeRow(set, values);
    const key = rowKey(set, row);
    const table = this.table(companyId, setName);
    if (table.has(key)) {
      throw new BcError(
        400,
        'Internal_EntityWithSameKeyExists',
        `The record in table ${set.entityType} already exists. Identification fields and values: ${set.key
          .map((k) => `${k}='${String(row[k])}'`)
          .join(',')}`,
      );
    }
    this.stamp(set, row);
    const stored = { row, version: ++this.data.rowVersion };
    table.set(key, stored);
    this.reindex(companyId, setName, key, undefined, row);
    this.changed();
    return stored;
  }

  update(companyId: string, setName: string, key: string, changes: Row): StoredRow {
    const set = entitySet(setName);
    const table = this.table(companyId, setName);
    const current = table.get(key);
    if (!current) throw new Error(`emulator: update of a missing ${setName} row ${key}`);
    const row = { ...current.row, ...changes };
    this.stamp(set, row);
    const stored = { row, version: ++this.data.rowVersion };
    table.set(key, stored);
    this.reindex(companyId, setName, key, current.row, row);
    this.changed();
    return stored;
  }

  remove(companyId: string, setName: string, key: string): void {
    const table = this.table(companyId, setName);
    const current = table.get(key);
    if (!current) return;
    table.delete(key);
    this.reindex(companyId, setName, key, current.row, undefined);
    this.changed();
  }

  /** The next number of a series: 'S-ORD' + 6 digits → 'S-ORD101005'. Counters survive persistence. */
  nextNumber(companyId: string, series: string, start: number): string {
    return `${series}${this.nextCounter(companyId, series, start)}`;
  }

  /** The next value of a counter (G/L entry numbers, number series). */
  nextCounter(companyId: string, series: string, start: number): number {
    const company = this.data.companies.find((c) => c.info.id === companyId);
    if (!company) throw new Error(`emulator: unknown company ${companyId}`);
    const next = Math.max(company.counters[series] ?? start - 1, start - 1) + 1;
    company.counters[series] = next;
    return next;
  }

  toJSON(): StoreData {
    return {
      format: this.data.format,
      rowVersion: this.data.rowVersion,
      companies: this.data.companies.map((company) => {
        const sets = this.tables.get(String(company.info.id))!;
        return {
          info: company.info,
          counters: company.counters,
          sets: Object.fromEntries([...sets].filter(([, t]) => t.size > 0).map(([name, t]) => [name, [...t.values()]])),
        };
      }),
    };
  }
}

function addTo(index: Map<unknown, Set<string>>, value: unknown, key: string): void {
  let keys = index.get(value);
  if (!keys) index.set(value, (keys = new Set()));
  keys.add(key);
}

/** Reads a persisted store, or undefined when the file does not exist yet. */
export async function loadStoreData(file: string): Promise<StoreData | undefined> {
  return loadDataFile<StoreData>(file, 'ferry-bc-emulator/1', 'a Business Central emulator');
}
