// Deterministic demo data: the records Acumatica's integration training (the MyStore company of the I300–I330
// courses) works with — named in seed-training.ts — and generated customers, contacts, vendors, stock items with
// warehouse details, sales orders with lines and journal transactions, as many as `size` asks. The same seed and
// size give the same ids, numbers and amounts on every machine.
import { prng } from '../../emulator-kit/prng.js';
import { applyRules } from './rules.js';
import { AcuStore, emptyStoreData, type StoreData } from './store.js';
import { seedTraining } from './seed-training.js';
import { type AcuRecord, isoDateTime, type Primitive } from './values.js';

/** Credentials, names and keys of the demo instance (printed by `ferry emulate acumatica`). */
export const ACUMATICA_DEMO = {
  /** The first path segment, as the training collections' InstanceURL has it. */
  instance: 'MyStoreInstance',
  tenant: 'MyStore',
  branch: 'MYSTORE',
  userName: 'admin',
  password: 'Ferry-Demo-1',
  /** OAuth client (Connected Applications, SM303010): `<guid>@<tenant>`. */
  clientId: '6F1B8C2E-4A3D-4E5F-9B7A-1C2D3E4F5A6B@MyStore',
  clientSecret: 'ferry-demo-oauth-secret',
  /** Registered for the demo client: a Ferry connection with redirectPort 47390 signs in through it. */
  redirectUri: 'http://127.0.0.1:47390/callback',
  /** The build GET /entity reports. */
  erpVersion: '24.200.0123',
  /** Records tests and demos name. */
  keys: {
    customer: 'C000000003',
    salesOrder: ['SO', '000003'],
    heldInvoice: ['Invoice', 'INV000046'],
    stockItems: ['AALEGO500', 'AACOMPUT01', 'AAMACHINE1', 'CONGRILL', 'AAPOWERAID'],
    warehouses: ['MAIN', 'WHOLESALE'],
    payment: ['Payment', '000001'],
    journalTransaction: ['GL', '000001'],
  },
} as const;

export interface AcumaticaSeedSize {
  customers: number;
  vendors: number;
  stockItems: number;
  salesOrders: number;
  journalTransactions: number;
}

/** Generated records on top of the training ones. */
export const DEFAULT_SEED_SIZE: AcumaticaSeedSize = {
  customers: 20,
  vendors: 10,
  stockItems: 30,
  salesOrders: 20,
  journalTransactions: 5,
};

export interface Seeder {
  random: () => number;
  pick: <T>(list: readonly T[]) => T;
  guid: () => string;
  /** Adds a top-level record (audit fields stamped in creation order) and returns it. */
  add: (entity: string, fields: Record<string, Primitive>, links?: AcuRecord['links'], extra?: Partial<AcuRecord>) => AcuRecord; // prettier-ignore
  /** A detail or linked record. */
  row: (fields: Record<string, Primitive>, links?: AcuRecord['links']) => AcuRecord;
  store: AcuStore;
}

/** Seeded records are modified a minute apart from this instant on (well before any test clock). */
const SEED_EPOCH = Date.parse('2024-01-02T08:00:00Z');

const CITIES = [
  ['Seattle', 'WA', '98101'],
  ['Portland', 'OR', '97201'],
  ['Austin', 'TX', '73301'],
  ['Denver', 'CO', '80202'],
  ['Boston', 'MA', '02108'],
] as const;
const WORDS = ['Alpine', 'Harbor', 'Summit', 'Cedar', 'Beacon', 'Meridian', 'Granite', 'Willow', 'Falcon', 'Orchid'];
const NOUNS = ['Supplies', 'Traders', 'Foods', 'Outfitters', 'Systems', 'Works', 'Goods', 'Partners'];

export function createSeeder(seed: number): Seeder {
  const random = prng(seed);
  let stamp = 0;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const guid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  const store = new AcuStore(emptyStoreData(), () => SEED_EPOCH);
  const row = (fields: Record<string, Primitive>, links: AcuRecord['links'] = {}): AcuRecord => ({ id: guid(), fields, links }); // prettier-ignore
  return {
    random,
    guid,
    pick: (list) => list[Math.floor(random() * list.length)]!,
    row,
    store,
    add(entity, fields, links = {}, extra = {}) {
      const at = isoDateTime(SEED_EPOCH + stamp++ * 60_000);
      const record: AcuRecord = { ...row({ CreatedDateTime: at, ...fields }, links), ...extra };
      applyRules(entity, record, { store, now: () => SEED_EPOCH, created: false });
      record.fields.LastModifiedDateTime = at;
      record.fields.LastModified = at;
      store.load(entity, record);
      return record;
    },
  };
}

const address = (s: Seeder) => {
  const [city, state, postal] = s.pick(CITIES);
  return s.row({ AddressLine1: `${100 + Math.floor(s.random() * 900)} Main St`, City: city, State: state, PostalCode: postal, Country: 'US' }); // prettier-ignore
};

function generate(s: Seeder, size: AcumaticaSeedSize): void {
  const items: string[] = [];
  for (let i = 1; i <= size.stockItems; i++) {
    const id = `ITEM${String(i).padStart(5, '0')}`;
    items.push(id);
    const price = Math.round((5 + s.random() * 495) * 100) / 100;
    const details = ['MAIN', 'WHOLESALE'].map((w) => s.row({ WarehouseID: w, QtyOnHand: Math.floor(s.random() * 500), IsDefault: w === 'MAIN', Status: 'Active' })); // prettier-ignore
    s.add('StockItem', { InventoryID: id, Description: `${s.pick(WORDS)} ${s.pick(NOUNS)} item ${i}`, ItemClass: 'STOCKITEM', ItemStatus: 'Active', ItemType: 'Finished Good', BaseUOM: 'EA', SalesUOM: 'EA', PurchaseUOM: 'EA', DefaultPrice: price, DefaultWarehouseID: 'MAIN', ValuationMethod: 'Average' }, { WarehouseDetails: details }); // prettier-ignore
    for (const d of details) s.add('ItemWarehouse', { InventoryID: id, WarehouseID: d.fields.WarehouseID!, Status: 'Active' }); // prettier-ignore
  }
  const customers: string[] = [];
  for (let i = 1; i <= size.customers; i++) {
    const id = `C${String(100 + i).padStart(9, '0')}`;
    customers.push(id);
    const name = `${s.pick(WORDS)} ${s.pick(NOUNS)} ${i}`;
    const email = `info${i}@${name.split(' ')[0]!.toLowerCase()}.example`;
    s.add('Customer', { CustomerID: id, CustomerName: name, CustomerClass: 'DEFAULT', Status: 'Active', CurrencyID: 'USD', Terms: '30D', Email: email }, { MainContact: s.row({ DisplayName: name, CompanyName: name, Email: email, Phone1: `+1 206 555 ${String(1000 + i)}` }, { Address: address(s) }) }); // prettier-ignore
    s.add('Contact', { ContactID: s.store.next('Contact', 100), FirstName: s.pick(['Anna', 'Ben', 'Chloe', 'David', 'Eva']), LastName: s.pick(['Smith', 'Jones', 'Brown', 'Garcia']), BusinessAccount: id, CompanyName: name, Email: `buyer${i}@example.com`, Active: true, Status: 'Active', Type: 'Contact' }, { Address: address(s) }); // prettier-ignore
  }
  for (let i = 1; i <= size.vendors; i++) {
    const name = `${s.pick(WORDS)} ${s.pick(NOUNS)} Vendor ${i}`;
    s.add('Vendor', { VendorID: `V${String(100 + i).padStart(9, '0')}`, VendorName: name, VendorClass: 'DEFAULT', Status: 'Active', CurrencyID: 'USD', Terms: '30D' }, { MainContact: s.row({ DisplayName: name, Email: `ap${i}@vendor.example` }, { Address: address(s) }) }); // prettier-ignore
  }
  for (let i = 1; i <= size.salesOrders && customers.length > 0 && items.length > 0; i++) {
    const lines = Array.from({ length: 1 + Math.floor(s.random() * 3) }, () => {
      const item = s.pick(items);
      const price = s.store.findByKeys('StockItem', [item])!.fields.DefaultPrice!;
      return s.row({ InventoryID: item, OrderQty: 1 + Math.floor(s.random() * 10), UnitPrice: price, WarehouseID: 'MAIN', UOM: 'EA' }); // prettier-ignore
    });
    s.add('SalesOrder', { OrderType: 'SO', OrderNbr: String(s.store.next('SalesOrder:SO')).padStart(6, '0'), CustomerID: s.pick(customers), Date: isoDateTime(SEED_EPOCH + i * 86_400_000), Hold: false, CurrencyID: 'USD', Description: `Order ${i}` }, { Details: lines }); // prettier-ignore
  }
  for (let i = 1; i <= size.journalTransactions; i++) {
    const amount = Math.round(s.random() * 100_000) / 100;
    s.add('JournalTransaction', { Module: 'GL', BatchNbr: String(s.store.next('Batch:GL')).padStart(6, '0'), LedgerID: 'ACTUAL', TransactionDate: isoDateTime(SEED_EPOCH + i * 86_400_000), PostPeriod: '012024', Hold: false, Description: `Accrual ${i}`, CurrencyID: 'USD' }, { Details: [s.row({ Account: '10200', Subaccount: '000000', DebitAmount: amount, CreditAmount: 0 }), s.row({ Account: '40000', Subaccount: '000000', DebitAmount: 0, CreditAmount: amount })] }); // prettier-ignore
  }
}

/** The demo data: the training company's records, then `size` generated ones. */
export function seedStoreData(seed = 1, size: Partial<AcumaticaSeedSize> = {}): StoreData {
  const seeder = createSeeder(seed);
  seedTraining(seeder);
  generate(seeder, { ...DEFAULT_SEED_SIZE, ...size });
  return seeder.store.toJSON();
}
