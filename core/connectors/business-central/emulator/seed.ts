// Deterministic CRONUS-like demo data for two companies: the same seed and sizes give the same ids, numbers and
// amounts on every machine, so tests and demos can name records.
import { type CompanyData, completeRow, entitySet, type StoreData } from './store.js';
import { round2, type Row } from './values.js';
import { contactInformationRow } from './contacts.js';
import { seedDocuments } from './seed-documents.js';
import { demoPictureRow } from './pictures.js';
import { prng } from '../../emulator-kit/prng.js';

/** Credentials, names and ids of the demo systems (printed by `ferry emulate business-central`). */
export const BC_DEMO = {
  tenantId: '7b2e5c9a-4f1d-4e8b-9a36-0c5d2f8e1a47',
  tenantDomain: 'cronus-demo.onmicrosoft.com',
  environment: 'Production',
  clientId: '3f0e8d6c-2b1a-4c9d-8e7f-6a5b4c3d2e1f',
  clientSecret: 'ferry-demo-client-secret',
  instance: 'BC140',
  userName: 'ADMIN',
  password: 'Ferry-Demo-1',
  /** A 44-character web service access key, usable instead of the password with Basic auth. */
  webServiceAccessKey: 'Zm9ycnktZGVtby13ZWItc2VydmljZS1hY2Nlc3Mta2V5',
  companies: {
    usa: { id: 'c0a8e1f2-1a2b-4c3d-8e4f-5a6b7c8d9e01', name: 'CRONUS USA, Inc.' },
    international: { id: 'c0a8e1f2-1a2b-4c3d-8e4f-5a6b7c8d9e02', name: 'CRONUS International Ltd.' },
  },
} as const;

export interface BcSeedSize {
  customers: number;
  vendors: number;
  items: number;
  salesOrders: number;
}

export const DEFAULT_SEED_SIZE: BcSeedSize = { customers: 20, vendors: 10, items: 30, salesOrders: 10 };

export interface SeedContext {
  random: () => number;
  guid: () => string;
  pick: <T>(list: readonly T[]) => T;
  /** Adds a complete row (every catalog property) and returns it. */
  add: (set: string, values: Row) => Row;
  rows: (set: string) => Row[];
  /** A deterministic modification time, minutes after 2024-01-02T08:00Z, increasing per row. */
  stamp: () => string;
  counters: Record<string, number>;
  lcy: string;
}

const CUSTOMER_NAMES = [
  'Adatum Corporation',
  'Trey Research',
  'School of Fine Art',
  'Alpine Ski House',
  'Relecloud',
  'Coho Winery',
  'Litware, Inc.',
  'Fourth Coffee',
  'Wingtip Toys',
  'Northwind Traders',
];
const VENDOR_NAMES = ['Fabrikam, Inc.', 'First Up Consultants', 'Graphic Design Institute', 'Wide World Importers'];
const CITIES = [
  ['Atlanta', 'GA', '31772', 'US'],
  ['Chicago', 'IL', '61236', 'US'],
  ['Miami', 'FL', '37125', 'US'],
  ['London', '', 'W2 8HG', 'GB'],
  ['Toronto', 'ON', 'M5E 1W5', 'CA'],
] as const;
const ITEM_NAMES = ['ATHENS', 'PARIS', 'ROME', 'LONDON', 'TOKYO', 'MUNICH', 'AMSTERDAM', 'BERLIN', 'SYDNEY', 'OSLO'];
const ITEM_KINDS = [
  ['Desk', 'DESK'],
  ['Guest Chair, black', 'CHAIR'],
  ['Swivel Chair, blue', 'CHAIR'],
  ['Conference Table', 'TABLE'],
  ['Whiteboard, base', 'MISC'],
  ['Storage Unit', 'MISC'],
] as const;
const ACCOUNTS = [
  ['10100', 'Checking account', 'Assets'],
  ['10400', 'Accounts Receivable', 'Assets'],
  ['12200', 'Inventory', 'Assets'],
  ['20100', 'Accounts Payable', 'Liabilities'],
  ['30100', 'Capital Stock', 'Equity'],
  ['40100', 'Income, Product Sales', 'Income'],
  ['40200', 'Income, Services', 'Income'],
  ['50100', 'Cost of Materials', 'Cost_x0020_of_x0020_Goods_x0020_Sold'],
  ['60100', 'Wages', 'Expense'],
  ['61100', 'Rent', 'Expense'],
  ['62100', 'Utilities', 'Expense'],
] as const;

function seedCompany(info: Row, lcy: string, size: BcSeedSize, random: () => number, base: number): CompanyData {
  const sets: CompanyData['sets'] = {};
  const counters: Record<string, number> = {};
  let version = base;
  let minutes = 0;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const ctx: SeedContext = {
    random,
    guid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(random() * 4)]}${hex(3)}-${hex(12)}`,
    pick: (list) => list[Math.floor(random() * list.length)]!,
    add: (name, values) => {
      const set = entitySet(name);
      // A typo in the seed would silently vanish in completeRow: refuse names the catalog does not have.
      const unknown = Object.keys(values).filter(
        (k) => k !== 'lastModifiedDateTime' && !set.properties.some((p) => p.name === k),
      );
      if (unknown.length) throw new Error(`seed: ${name} has no ${unknown.join(', ')}`);
      const row = completeRow(set, values);
      (sets[name] ??= []).push({ row, version: ++version });
      return row;
    },
    rows: (name) => (sets[name] ?? []).map((stored) => stored.row),
    stamp: () => new Date(Date.UTC(2024, 0, 2, 8, minutes++)).toISOString(),
    counters,
    lcy,
  };
  const { add, guid, pick, stamp } = ctx;
  const code = (set: string, values: Row) => add(set, { id: guid(), lastModifiedDateTime: stamp(), ...values });

  add('companyInformation', { id: guid(), displayName: info.displayName, addressLine1: '7122 South Ashford Street', city: 'Atlanta', state: 'GA', postalCode: '31772', country: 'US', currencyCode: lcy, currentFiscalYearStartDate: '2024-01-01', lastModifiedDateTime: stamp() }); // prettier-ignore
  const terms = [
    ['1M(8D)', '1 Month/2% 8 days', '1M', '8D', 2],
    ['14 DAYS', 'Net 14 days', '14D', '', 0],
    ['30 DAYS', 'Net 30 days', '30D', '', 0],
    ['COD', 'Cash on delivery', '0D', '', 0],
  ] as const;
  const paymentTerms = terms.map(
    ([c, d, due, disc, pct]) =>
    code('paymentTerms', { code: c, displayName: d, dueDateCalculation: due, discountDateCalculation: disc, discountPercent: pct }), // prettier-ignore
  );
  const shipmentMethods = ['CFR', 'CIF', 'DEL', 'EXW', 'FOB', 'PICKUP'].map((c) =>
    code('shipmentMethods', { code: c, displayName: c === 'PICKUP' ? 'Pickup at Location' : `${c} shipment` }),
  );
  for (const [c, d, s] of [
    ['EUR', 'Euro', '€'],
    ['GBP', 'Pound Sterling', '£'],
    ['USD', 'US Dollar', '$'],
    ['CAD', 'Canadian Dollar', '$'],
  ] as const) {
    // prettier-ignore
    if (c !== lcy) code('currencies', { code: c, displayName: d, symbol: s, amountDecimalPlaces: '2:2', amountRoundingPrecision: 0.01 }); // prettier-ignore
  }
  const units = ['PCS', 'BOX', 'HOUR'].map((c) => code('unitsOfMeasure', { code: c, displayName: c === 'PCS' ? 'Piece' : c === 'BOX' ? 'Box' : 'Hour', internationalStandardCode: c === 'PCS' ? 'EA' : c === 'BOX' ? 'BX' : 'HUR', symbol: '' })); // prettier-ignore
  const categories = new Map(
    ['CHAIR', 'DESK', 'TABLE', 'MISC'].map((c) => [c, code('itemCategories', { code: c, displayName: `${c[0]}${c.slice(1).toLowerCase()}s` })]), // prettier-ignore
  );
  code('locations', { code: 'MAIN', displayName: 'Main Warehouse', city: 'Atlanta', country: 'US' });
  for (const [number, name, category] of ACCOUNTS) {
    code('accounts', { number, displayName: name, category, accountType: 'Posting', directPosting: true });
  }
  for (const [dimension, values] of [
    ['DEPARTMENT', ['ADM', 'PROD', 'SALES']],
    ['AREA', ['EUROPE', 'AMERICA']],
  ] as const) {
    // prettier-ignore
    const dim = code('dimensions', { code: dimension, displayName: dimension[0] + dimension.slice(1).toLowerCase() });
    for (const value of values) code('dimensionValues', { code: value, dimensionId: dim.id, displayName: value });
  }

  for (let i = 0; i < size.items; i++) {
    const [kind, category] = ITEM_KINDS[i % ITEM_KINDS.length]!;
    const service = i % 10 === 9;
    const price = round2(50 + random() * 950);
    const item = code('items', {
      number: String(1000 + i * 10),
      displayName: service ? `Installation service ${i}` : `${ITEM_NAMES[Math.floor(i / ITEM_KINDS.length) % ITEM_NAMES.length]} ${kind}`, // prettier-ignore
      type: service ? 'Service' : 'Inventory',
      itemCategoryId: categories.get(category)!.id,
      itemCategoryCode: category,
      inventory: service ? 0 : Math.floor(random() * 200),
      unitPrice: price,
      unitCost: round2(price * 0.6),
      gtin: service ? '' : String(4000000000000 + i),
      baseUnitOfMeasureId: (service ? units[2] : units[0])!.id,
      baseUnitOfMeasureCode: service ? 'HOUR' : 'PCS',
      generalProductPostingGroupCode: service ? 'SERVICES' : 'RETAIL',
      inventoryPostingGroupCode: service ? '' : 'RESALE',
    });
    // One picture each (BC holds one per item) for a few items, so flows have images to carry.
    if (i < 3) add('pictures', demoPictureRow(item.id, i));
    if (i < 5 && !service) {
      for (const variant of ['BLACK', 'WHITE']) {
        code('itemVariants', { itemId: item.id, itemNumber: item.number, code: variant, description: `${item.displayName}, ${variant.toLowerCase()}` }); // prettier-ignore
      }
    }
  }
  for (let i = 0; i < size.customers; i++) {
    const [city, state, postalCode, country] = CITIES[i % CITIES.length]!;
    const name = CUSTOMER_NAMES[i] ?? `Customer ${String(i + 1).padStart(5, '0')}`;
    const customer = code('customers', {
      number: String(10000 * (i + 1)),
      displayName: name,
      type: i % 7 === 6 ? 'Person' : 'Company',
      addressLine1: `${100 + i} Main Street`,
      city,
      state,
      postalCode,
      country, // prettier-ignore
      phoneNumber: `+1 425 555 ${String(1000 + i).slice(-4)}`,
      email: `info@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      creditLimit: i % 3 === 0 ? 0 : 10000 * (i % 5),
      currencyCode: lcy,
      paymentTermsId: pick(paymentTerms).id,
      shipmentMethodId: pick(shipmentMethods).id,
      blocked: i % 9 === 8 ? 'Ship' : '_x0020_',
      taxLiable: true,
    });
    const contact = code('contacts', { number: `CT${String(100 + i * 10).padStart(6, '0')}`, type: 'Company', displayName: name, companyNumber: `CT${String(100 + i * 10).padStart(6, '0')}`, companyName: name, contactBusinessRelation: 'Customer', city, country, searchName: name.toUpperCase(), email: customer.email }); // prettier-ignore
    add('contactsInformation', contactInformationRow(contact, customer.id));
  }
  for (let i = 0; i < size.vendors; i++) {
    const [city, state, postalCode, country] = CITIES[(i + 2) % CITIES.length]!;
    code('vendors', { number: String(10000 * (i + 1)), displayName: VENDOR_NAMES[i] ?? `Vendor ${String(i + 1).padStart(5, '0')}`, addressLine1: `${20 + i} Industrial Road`, city, state, postalCode, country, currencyCode: lcy, paymentTermsId: pick(paymentTerms).id, blocked: '_x0020_' }); // prettier-ignore
  }
  seedDocuments(ctx, size);
  return { info, counters, sets: Object.fromEntries(Object.entries(sets)) };
}

/** Both demo companies, deterministic in `seed` and `size`. */
export function seedStoreData(seed = 1, size: Partial<BcSeedSize> = {}): StoreData {
  const full = { ...DEFAULT_SEED_SIZE, ...size };
  const company = (id: string, name: string, minute: number): Row => ({
    ...completeRow(entitySet('companies'), {}),
    id,
    systemVersion: '14.0.29537.0',
    timestamp: minute,
    name,
    displayName: name,
    systemCreatedAt: new Date(Date.UTC(2024, 0, 1, 7, minute)).toISOString(),
    systemModifiedAt: new Date(Date.UTC(2024, 0, 1, 7, minute)).toISOString(),
  });
  const { usa, international } = BC_DEMO.companies;
  const companies = [
    seedCompany(company(usa.id, usa.name, 1), 'USD', full, prng(seed), 0),
    // The second company is smaller: it exists to prove company scoping, not to carry volume.
    seedCompany(company(international.id, international.name, 2), 'GBP', { ...DEFAULT_SEED_SIZE, items: 12, customers: 6, vendors: 4, salesOrders: 3 }, prng(seed + 1), 5_000_000), // prettier-ignore
  ];
  let rowVersion = 0;
  for (const stored of companies.flatMap((c) => Object.values(c.sets).flat())) {
    rowVersion = Math.max(rowVersion, stored.version);
  }
  return { format: 'ferry-bc-emulator/1', rowVersion, companies };
}
