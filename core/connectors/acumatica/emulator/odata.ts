// Acumatica's OData v4 interfaces over the same data: generic inquiries at {instance}/t/{tenant}/api/odata/gi and
// DAC-based OData at …/api/odata/dac (the I300 course). Entity sets, their properties and navigation are the ones
// the course's requests use; $select, $expand (with nested $select), $filter, $top and $skip work as for the REST API
// (filter.ts), answers are OData JSON (`@odata.context`, `value`).
import type { FilterPredicate } from '../../emulator-kit/odata-filter.js';
import { noEntity, notFound } from './errors.js';
import { compileAcuFilter, type FieldRef } from './filter.js';
import { type AcuStore } from './store.js';
import type { AcuRecord, Primitive } from './values.js';

type Row = Record<string, unknown>;

interface ODataSet {
  name: string;
  properties: Record<string, string>;
  /** Navigation name → target set, collection or not, and the rows a row leads to. */
  navigation?: Record<string, { target: string; collection: boolean; follow: (row: Row, store: AcuStore) => Row[] }>;
  /** Parameters of a generic inquiry with parameters (`Set(InventoryID='X')`). */
  parameters?: string[];
  rows(store: AcuStore, parameters: Record<string, string>): Row[];
}

const EDM_WRAPPER: Record<string, string> = {
  'Edm.String': 'StringValue',
  'Edm.Int32': 'IntValue',
  'Edm.Decimal': 'DecimalValue',
  'Edm.Boolean': 'BooleanValue',
  'Edm.DateTimeOffset': 'DateTimeValue',
};

const ITEM_STATUS_CODES: Record<string, string> = { Active: 'AC', 'No Sales': 'NS', 'No Purchases': 'NP', 'No Request': 'NR', Inactive: 'IN', 'Marked for Deletion': 'DE' }; // prettier-ignore

const f = (record: AcuRecord | undefined, field: string): Primitive => record?.fields[field] ?? null;
const linked = (record: AcuRecord, link: string) => (record.links[link] && !Array.isArray(record.links[link]) ? (record.links[link] as AcuRecord) : undefined); // prettier-ignore
const details = (record: AcuRecord, link: string) => (Array.isArray(record.links[link]) ? (record.links[link] as AcuRecord[]) : []); // prettier-ignore
const qty = (v: Primitive) => (typeof v === 'number' ? v : 0);

function site(store: AcuStore, warehouseId: Primitive): Row {
  const warehouse = store.findByKeys('Warehouse', [warehouseId]);
  return { SiteID: warehouse ? store.numberOf('Warehouse', warehouse) : null, SiteCD: warehouseId, Descr: f(warehouse, 'Description') }; // prettier-ignore
}

function item(store: AcuStore, record: AcuRecord, stock: boolean): Row {
  return {
    InventoryID: store.numberOf(stock ? 'StockItem' : 'NonStockItem', record),
    InventoryCD: f(record, 'InventoryID'),
    Descr: f(record, 'Description'),
    ItemStatus: ITEM_STATUS_CODES[String(f(record, 'ItemStatus'))] ?? null,
    StkItem: stock,
    BaseUnit: f(record, stock ? 'BaseUOM' : 'BaseUnit'),
    LastModifiedDateTime: f(record, 'LastModifiedDateTime'),
    DfltSiteID: site(store, f(record, 'DefaultWarehouseID')).SiteID,
    ItemClassCD: f(record, 'ItemClass'),
    _record: record,
  };
}

function siteStatuses(store: AcuStore): Row[] {
  return store.records('StockItem').flatMap((record) =>
    details(record, 'WarehouseDetails').map((d) => ({
      InventoryID: store.numberOf('StockItem', record),
      SiteID: site(store, f(d, 'WarehouseID')).SiteID,
      QtyOnHand: qty(f(d, 'QtyOnHand')),
      QtyAvail: qty(f(d, 'QtyOnHand')),
      _record: record,
      _warehouse: f(d, 'WarehouseID'),
    })),
  );
}

const DAC_SETS: ODataSet[] = [
  {
    name: 'PX_Objects_AR_Customer',
    properties: { BAccountID: 'Edm.Int32', AcctCD: 'Edm.String', AcctName: 'Edm.String', CustomerClassID: 'Edm.String', Status: 'Edm.String' }, // prettier-ignore
    navigation: {
      ContactByDefBillContactID: { target: 'PX_Objects_CR_Contact', collection: false, follow: (row) => { const c = linked(row._record as AcuRecord, 'BillingContact') ?? linked(row._record as AcuRecord, 'MainContact'); return [{ DisplayName: f(c, 'DisplayName'), Email: f(c, 'Email'), Phone1: f(c, 'Phone1') }]; } }, // prettier-ignore
      AddressByDefAddressID: { target: 'PX_Objects_CR_Address', collection: false, follow: (row) => { const c = linked(row._record as AcuRecord, 'MainContact'); const a = c && linked(c, 'Address'); return [{ AddressLine1: f(a, 'AddressLine1'), AddressLine2: f(a, 'AddressLine2'), City: f(a, 'City'), State: f(a, 'State'), PostalCode: f(a, 'PostalCode'), CountryID: f(a, 'Country') }]; } }, // prettier-ignore
    },
    rows: (store) => store.records('Customer').map((r) => ({ BAccountID: store.numberOf('Customer', r), AcctCD: f(r, 'CustomerID'), AcctName: f(r, 'CustomerName'), CustomerClassID: f(r, 'CustomerClass'), Status: f(r, 'Status'), _record: r })), // prettier-ignore
  },
  { name: 'PX_Objects_CR_Contact', properties: { DisplayName: 'Edm.String', Email: 'Edm.String', Phone1: 'Edm.String' }, rows: () => [] }, // prettier-ignore
  { name: 'PX_Objects_CR_Address', properties: { AddressLine1: 'Edm.String', AddressLine2: 'Edm.String', City: 'Edm.String', State: 'Edm.String', PostalCode: 'Edm.String', CountryID: 'Edm.String' }, rows: () => [] }, // prettier-ignore
  { name: 'PX_Objects_IN_INSite', properties: { SiteID: 'Edm.Int32', SiteCD: 'Edm.String', Descr: 'Edm.String' }, rows: (store) => store.records('Warehouse').map((w) => site(store, f(w, 'WarehouseID'))) }, // prettier-ignore
  { name: 'PX_Objects_IN_INItemClass', properties: { ItemClassCD: 'Edm.String' }, rows: () => [] },
  {
    name: 'PX_Objects_IN_InventoryItem',
    properties: { InventoryID: 'Edm.Int32', InventoryCD: 'Edm.String', Descr: 'Edm.String', ItemStatus: 'Edm.String', StkItem: 'Edm.Boolean', BaseUnit: 'Edm.String', LastModifiedDateTime: 'Edm.DateTimeOffset', DfltSiteID: 'Edm.Int32' }, // prettier-ignore
    navigation: {
      INSiteByDfltSiteID: { target: 'PX_Objects_IN_INSite', collection: false, follow: (row, store) => [site(store, f(row._record as AcuRecord, 'DefaultWarehouseID'))] }, // prettier-ignore
      INItemClassByItemClassID: { target: 'PX_Objects_IN_INItemClass', collection: false, follow: (row) => [{ ItemClassCD: row.ItemClassCD }] }, // prettier-ignore
      INSiteStatusCollection: { target: 'PX_Objects_IN_INSiteStatus', collection: true, follow: (row, store) => siteStatuses(store).filter((s) => s._record === row._record) }, // prettier-ignore
    },
    rows: (store) => [...store.records('StockItem').map((r) => item(store, r, true)), ...store.records('NonStockItem').map((r) => item(store, r, false))], // prettier-ignore
  },
  {
    name: 'PX_Objects_IN_INSiteStatus',
    properties: { InventoryID: 'Edm.Int32', SiteID: 'Edm.Int32', QtyOnHand: 'Edm.Decimal', QtyAvail: 'Edm.Decimal' },
    navigation: {
      InventoryItemByInventoryID: { target: 'PX_Objects_IN_InventoryItem', collection: false, follow: (row, store) => [item(store, row._record as AcuRecord, true)] }, // prettier-ignore
      INSiteBySiteID: { target: 'PX_Objects_IN_INSite', collection: false, follow: (row, store) => [site(store, row._warehouse as Primitive)] }, // prettier-ignore
    },
    rows: siteStatuses,
  },
];

const GI_SETS: ODataSet[] = [
  {
    name: 'Customer Contacts',
    properties: { CustomerID: 'Edm.String', CustomerName: 'Edm.String', ContactID: 'Edm.Int32', DisplayName: 'Edm.String', Email: 'Edm.String' }, // prettier-ignore
    rows: (store) => store.records('Contact').flatMap((c) => { const customer = store.findByKeys('Customer', [f(c, 'BusinessAccount')]); return customer ? [{ CustomerID: f(customer, 'CustomerID'), CustomerName: f(customer, 'CustomerName'), ContactID: f(c, 'ContactID'), DisplayName: f(c, 'DisplayName'), Email: f(c, 'Email') }] : []; }), // prettier-ignore
  },
  {
    name: 'ItemAvailabilityData_WithParameters',
    parameters: ['InventoryID'],
    properties: { InventoryID: 'Edm.String', Description: 'Edm.String', QtyOnHand: 'Edm.Decimal', QtyAvailable: 'Edm.Decimal' }, // prettier-ignore
    rows: (store, p) => store.records('StockItem').filter((r) => !p.InventoryID || String(f(r, 'InventoryID')).toLowerCase() === p.InventoryID.toLowerCase()).map((r) => { const total = details(r, 'WarehouseDetails').reduce((s, d) => s + qty(f(d, 'QtyOnHand')), 0); return { InventoryID: f(r, 'InventoryID'), Description: f(r, 'Description'), QtyOnHand: total, QtyAvailable: total }; }), // prettier-ignore
  },
  {
    name: 'Modified Stock Items',
    properties: { InventoryID: 'Edm.String', Description: 'Edm.String', ItemStatus: 'Edm.String', ItemClass: 'Edm.String', LastModifiedOn: 'Edm.DateTimeOffset' }, // prettier-ignore
    rows: (store) => store.records('StockItem').map((r) => ({ InventoryID: f(r, 'InventoryID'), Description: f(r, 'Description'), ItemStatus: f(r, 'ItemStatus'), ItemClass: f(r, 'ItemClass'), LastModifiedOn: f(r, 'LastModifiedDateTime') })), // prettier-ignore
  },
];

function metadata(kind: 'gi' | 'dac', sets: ODataSet[]): string {
  const namespace = kind === 'dac' ? 'PX.Api' : 'Default';
  const types = sets.map((set) => {
    const id = set.name.replace(/\W/g, '_');
    const props = Object.entries(set.properties)
      .map(([n, t]) => `<Property Name="${n}" Type="${t}" />`)
      .join('');
    const navs = Object.entries(set.navigation ?? {}).map(([n, nav]) => `<NavigationProperty Name="${n}" Type="${nav.collection ? `Collection(${namespace}.${nav.target})` : `${namespace}.${nav.target}`}" />`).join(''); // prettier-ignore
    return `<EntityType Name="${id}">${props}${navs}</EntityType>`;
  });
  const container = sets.map((set) => `<EntitySet Name="${set.name}" EntityType="${namespace}.${set.name.replace(/\W/g, '_')}" />`).join(''); // prettier-ignore
  return `<?xml version="1.0" encoding="utf-8"?><edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices><Schema Namespace="${namespace}" xmlns="http://docs.oasis-open.org/odata/ns/edm">${types.join('')}<EntityContainer Name="${namespace.replace('.', '_')}">${container}</EntityContainer></Schema></edmx:DataServices></edmx:Edmx>`; // prettier-ignore
}

/** Splits `a,b($select=c,d),e` at the commas outside parentheses. */
function splitTop(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    current += ch;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

function project(row: Row, set: ODataSet, select: string[] | undefined): Row {
  const out: Row = {};
  for (const name of select ?? Object.keys(set.properties)) {
    if (!(name in set.properties)) throw notFound(`${set.name}/${name}`);
    out[name] = row[name] ?? null;
  }
  return out;
}

function filterOf(set: ODataSet, text: string | null): FilterPredicate<unknown> | undefined {
  if (!text) return undefined;
  return compileAcuFilter(text, ([name]): FieldRef => {
    const type = set.properties[name!];
    if (!type) throw notFound(`${set.name}/${name}`);
    return { type: EDM_WRAPPER[type] ?? 'StringValue', read: (row) => ((row as Row | undefined)?.[name!] ?? null) as Primitive }; // prettier-ignore
  }).predicate;
}

/** GET below …/api/odata/{gi|dac}/; `root` is the service root URL for @odata.context. */
export function handleOData(store: AcuStore, kind: 'gi' | 'dac', rest: string, query: URLSearchParams, root: string) {
  const sets = kind === 'gi' ? GI_SETS : DAC_SETS;
  if (rest === '$metadata' || rest === '') {
    return { status: 200, headers: { 'Content-Type': 'application/xml; charset=utf-8' }, text: metadata(kind, sets) };
  }
  const match = /^([^(]+)(?:\((.*)\))?$/.exec(rest);
  const set = match ? sets.find((s) => s.name.toLowerCase() === match[1]!.toLowerCase()) : undefined;
  if (!set || !match) throw notFound(`${root}/${rest}`);
  const parameters: Record<string, string> = {};
  for (const part of match[2] ? splitTop(match[2]) : []) {
    const [name, value] = part.split('=');
    if (!set.parameters?.includes(name!.trim())) throw noEntity();
    parameters[name!.trim()] = (value ?? '').trim().replace(/^'|'$/g, '').replace(/''/g, "'");
  }
  const filter = filterOf(set, query.get('$filter'));
  const select = query.get('$select') ? splitTop(query.get('$select')!) : undefined;
  const expand = splitTop(query.get('$expand') ?? '').map((part) => {
    const [, name, options] = /^(\w+)(?:\((.*)\))?$/.exec(part) ?? [];
    const nav = name ? set.navigation?.[name] : undefined;
    const target = nav && DAC_SETS.find((s) => s.name === nav.target);
    if (!nav || !target) throw notFound(`${set.name}/${part}`);
    const nested = new URLSearchParams((options ?? '').replace(/;/g, '&')).get('$select');
    return { name: name!, nav, target, select: nested ? splitTop(nested) : undefined };
  });
  let rows = set.rows(store, parameters);
  if (filter) rows = rows.filter((r) => filter(r));
  const skip = Number(query.get('$skip') ?? 0);
  const top = query.get('$top') === null ? undefined : Number(query.get('$top'));
  rows = rows.slice(skip, top === undefined ? undefined : skip + top);
  const value = rows.map((row) => {
    const out = project(row, set, select);
    for (const e of expand) {
      const related = e.nav.follow(row, store).map((r) => project(r, e.target, e.select));
      out[e.name] = e.nav.collection ? related : (related[0] ?? null);
    }
    return out;
  });
  return { status: 200, headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: { '@odata.context': `${root}/$metadata#${set.name}`, value } }; // prettier-ignore
}
