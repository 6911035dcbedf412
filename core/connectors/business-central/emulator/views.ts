// One database, two API versions: rows are stored in the v2.0 shape and the v1.0 endpoint shows and takes them in
// the v1.0 shape (transition-to-api-v2.0.md): complex postal addresses instead of flat fields, options as plain
// strings, line ids as '<documentId>-<sequence>' strings, ledger entries keyed by their entry number.
import { type BcApiVersion, type BcEntitySet, type BcProperty, bcCatalog } from '../catalog.js';
import { decodeMember, defaultValue, type Row } from './values.js';

/** v1.0 complex address property → prefix of the flat v2.0 fields ('' = addressLine1, city, …, postalCode). */
const ADDRESS_PREFIX: Record<string, string> = {
  address: '',
  sellingPostalAddress: 'sellTo',
  billingPostalAddress: 'billTo',
  shippingPostalAddress: 'shipTo',
  buyFromAddress: 'buyFrom',
  payToAddress: 'payTo',
  shipToAddress: 'shipTo',
};

interface AddressFields {
  line1: string;
  line2: string;
  city: string;
  state: string;
  countryLetterCode: string;
  postalCode: string;
}

function addressFields(prefix: string): AddressFields {
  const field = (name: string) => (prefix ? `${prefix}${name[0]!.toUpperCase()}${name.slice(1)}` : name);
  return {
    line1: field('addressLine1'),
    line2: field('addressLine2'),
    city: field('city'),
    state: field('state'),
    countryLetterCode: prefix ? field('country') : 'country',
    postalCode: prefix ? field('postCode') : 'postalCode',
  };
}

/** Small complex types of v1.0 lines and items: member → flat v2.0 field. */
const MEMBER_FIELDS: Record<string, Record<string, string>> = {
  lineDetails: { number: 'lineObjectNumber', displayName: 'description' },
  unitOfMeasure: { code: 'unitOfMeasureCode' },
  baseUnitOfMeasure: { code: 'baseUnitOfMeasureCode' },
};

export interface ApiView {
  version: BcApiVersion;
  set: BcEntitySet;
  /** The stored (v2.0) set the view reads and writes. */
  storeSet: string;
  toView(row: Row): Row;
  /** Incoming body in this version's shape → values in the stored shape. */
  fromView(body: Row): Row;
}

function v1Value(property: BcProperty, row: Row, v2: BcEntitySet): unknown {
  const prefix = ADDRESS_PREFIX[property.name];
  if (property.properties && prefix !== undefined) {
    const f = addressFields(prefix);
    const street = [row[f.line1], row[f.line2]].filter((v) => typeof v === 'string' && v !== '').join('\r\n');
    return { street, city: row[f.city] ?? '', state: row[f.state] ?? '', countryLetterCode: row[f.countryLetterCode] ?? '', postalCode: row[f.postalCode] ?? '' }; // prettier-ignore
  }
  const members = MEMBER_FIELDS[property.name];
  if (property.properties && members) {
    const value = defaultValue(property) as Row;
    for (const [member, field] of Object.entries(members)) value[member] = row[field] ?? '';
    return value;
  }
  if (property.name === 'id' && v2.containedIn && property.edmType === 'Edm.String') {
    return `${String(row.documentId ?? row.journalId)}-${String(row.sequence ?? row.lineNumber)}`;
  }
  if (property.name === 'id' && property.edmType === 'Edm.Int32' && 'entryNumber' in row) return row.entryNumber;
  const source = v2.properties.find((p) => p.name === property.name);
  if (!source) return defaultValue(property);
  const value = row[property.name];
  // v1.0 exposes options as their captions (plain strings), v2.0 as escaped EDM enum members.
  if (source.enumMembers && typeof value === 'string') return decodeMember(value);
  // Some v1.0 dates are date-times (generalLedgerEntries.postingDate): midnight UTC of the stored date.
  if (property.edmType === 'Edm.DateTimeOffset' && source.edmType === 'Edm.Date') return `${String(value)}T00:00:00Z`;
  return value;
}

function v1Input(set: BcEntitySet, body: Row): Row {
  const values: Row = {};
  for (const [name, value] of Object.entries(body)) {
    const property = set.properties.find((p) => p.name === name);
    const prefix = ADDRESS_PREFIX[name];
    if (property?.properties && prefix !== undefined && value && typeof value === 'object') {
      const f = addressFields(prefix);
      const address = value as Row;
      if (typeof address.street === 'string') {
        const [line1, ...rest] = address.street.split(/\r?\n/);
        values[f.line1] = line1 ?? '';
        values[f.line2] = rest.join(' ');
      }
      if (address.city !== undefined) values[f.city] = address.city;
      if (address.state !== undefined) values[f.state] = address.state;
      if (address.countryLetterCode !== undefined) values[f.countryLetterCode] = address.countryLetterCode;
      if (address.postalCode !== undefined) values[f.postalCode] = address.postalCode;
    } else if (property?.properties && MEMBER_FIELDS[name] && value && typeof value === 'object') {
      for (const [member, field] of Object.entries(MEMBER_FIELDS[name]!)) {
        if ((value as Row)[member] !== undefined) values[field] = (value as Row)[member];
      }
    } else if (name === 'id' && property?.edmType !== 'Edm.Guid') {
      // Composite v1.0 line ids and entry numbers are derived; the stored row keeps its GUID.
    } else {
      values[name] = value;
    }
  }
  return values;
}

/** The view of one entity set in one API version, or undefined when that version has no such set. */
export function apiView(version: BcApiVersion, name: string): ApiView | undefined {
  const set = bcCatalog(version).entitySet(name);
  if (!set) return undefined;
  const stored = bcCatalog('v2.0').entitySet(name);
  if (version === 'v2.0' || !stored) {
    // v1.0 report sets without a v2.0 counterpart (balanceSheet, trialBalance, …) read as empty.
    return { version, set, storeSet: stored ? name : '', toView: (row) => row, fromView: (body) => body };
  }
  return {
    version,
    set,
    storeSet: name,
    toView: (row) => Object.fromEntries(set.properties.map((p) => [p.name, v1Value(p, row, stored)])),
    fromView: (body) => v1Input(set, body),
  };
}
