// The demo store: three outlets with four registers, taxes, payment types, users, brands, product types, tags and
// variant attributes, named products (a standard product with a barcode and an image, a variant family of six
// T-shirts by size and colour, a product without inventory), customers (people and company customers) and sales in
// several statuses — then as many generated products, customers and sales as `size` asks. Everything is written
// through the same code as the API's writes, on a clock that starts at a fixed instant, and ids come from a seeded
// generator: the same seed and size give the same store on every machine.
import { prng } from '../../emulator-kit/prng.js';
import { createCustomer } from './customers.js';
import { createProducts } from './products.js';
import { registerSale } from './sales.js';
import { type Collection, type LsRecord, LsStore, type StoreData, emptyStoreData } from './store.js';

/** Names, credentials and records of the demo store (printed by `ferry emulate lightspeed`). */
export const LIGHTSPEED_DEMO = {
  domainPrefix: 'ferrydemo',
  storeName: 'Ferry Demo Store',
  /** A personal token (Setup → Personal tokens in a real store). */
  personalToken: 'lsxs_pt_FerryDemoPersonalToken2024',
  /** The OAuth application registered for the demo store. */
  clientId: 'ferry-demo-app',
  clientSecret: 'ferry-demo-app-secret',
  /** A Ferry connection with redirectPort 47391 signs in through it. */
  redirectUri: 'http://127.0.0.1:47391/callback',
  outlets: ['Main Street', 'Harbour Mall', 'Online Store'],
  userName: 'ferry.admin',
  skus: { bcServices: ['1090', '1190'], cup: 'CUP-ESP', kettle: 'KET-POUR', giftCard: 'GIFT-50', tees: ['TEE-BLK-S', 'TEE-BLK-M', 'TEE-BLK-L', 'TEE-WHT-S', 'TEE-WHT-M', 'TEE-WHT-L'] }, // prettier-ignore
  customers: { person: 'anna.berg@example.com', company: 'tom.hale@haleandsons.example', company2: 'mia.chen@northwind.example' }, // prettier-ignore
} as const;

export interface LightspeedSeedSize {
  products: number;
  customers: number;
  sales: number;
}

export const DEFAULT_SEED_SIZE: LightspeedSeedSize = { products: 30, customers: 20, sales: 15 };

/** Seeded records are written a minute apart from this instant on (well before any test clock). */
const SEED_EPOCH = Date.parse('2024-03-01T09:00:00Z');

const ADJECTIVES = ['Harbour', 'Alpine', 'Coastal', 'Urban', 'Classic', 'Nordic', 'Golden', 'Rustic', 'Velvet', 'Copper']; // prettier-ignore
const NOUNS = ['Mug', 'Candle', 'Tote', 'Notebook', 'Scarf', 'Planter', 'Bottle', 'Blanket', 'Cap', 'Bowl'];
const FIRST = ['Liam', 'Olivia', 'Noah', 'Emma', 'Lucas', 'Ava', 'Mason', 'Sophie', 'Ethan', 'Isla', 'Leo', 'Ruby'];
const LAST = ['Walker', 'Patel', 'Nguyen', 'Smith', 'Kowalski', 'Brown', 'Taylor', 'Wilson', 'Murphy', 'Singh'];
const COMPANIES = ['Kauri Cafe Ltd', 'Seaside Gifts', 'Bright Office Supplies', 'Tui Events', 'Harbour Hotels'];
const CITIES = [['Auckland', 'Auckland', '1010'], ['Wellington', 'Wellington', '6011'], ['Christchurch', 'Canterbury', '8011']] as const; // prettier-ignore

export function seedStoreData(seed = 1, sizes: Partial<LightspeedSeedSize> = {}): StoreData {
  const counts = { ...DEFAULT_SEED_SIZE, ...sizes };
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');
  const uuid = () => `${hex(8)}-${hex(4)}-4${hex(3)}-${pick(['8', '9', 'a', 'b'])}${hex(3)}-${hex(12)}`;
  let tick = 0;
  const clock = () => SEED_EPOCH + tick++ * 60_000;
  const retailer = {
    id: uuid(),
    domain_prefix: LIGHTSPEED_DEMO.domainPrefix,
    store_url: `https://${LIGHTSPEED_DEMO.domainPrefix}.retail.lightspeed.app`,
    account_status: 'active',
    account_type: 'standard',
    name: LIGHTSPEED_DEMO.storeName,
    version: '1',
    discount_product_id: uuid(),
    no_tax_group_id: uuid(),
    loyalty: { enabled: true },
    sku_sequence: { enabled: true },
    culture: 'en-NZ',
    timezone: { name: 'Pacific/Auckland' },
    tax_exclusive: false,
    country: 'NZ',
    currency: { code: 'NZD', symbol: '$' },
    store_credit: true,
    gift_cards: { enabled: true },
    created_at: '2023-11-01T00:00:00+00:00',
    activated_at: '2023-11-01T00:00:00+00:00',
  };
  const store = new LsStore(emptyStoreData(retailer), clock, uuid);
  const add = (collection: Collection, record: Record<string, unknown>) =>
    store.put(collection, { id: uuid(), deleted_at: null, ...record } as unknown as LsRecord, false);
  const gst = add('taxes', { name: 'GST', display_name: 'GST (15%)', is_default: true, rates: [{ id: uuid(), name: 'GST', rate: 0.15, display_name: 'GST 15%' }] }); // prettier-ignore
  add('taxes', { name: 'No Tax', display_name: 'No Tax (0%)', is_default: false, rates: [{ id: uuid(), name: 'No Tax', rate: 0, display_name: 'No Tax 0%' }] }); // prettier-ignore
  const outlets = LIGHTSPEED_DEMO.outlets.map((name, i) => {
    const [city, state, postcode] = CITIES[i]!;
    return add('outlets', { name, time_zone: 'Pacific/Auckland', default_tax_id: gst.id, currency: 'NZD', currency_symbol: '$', display_prices: 'inclusive', physical_address_1: `${10 + i * 7} Queen Street`, physical_address_2: '', physical_suburb: '', physical_city: city, physical_postcode: postcode, physical_state: state, physical_country_id: 'NZ', attributes: [], email: `${name.toLowerCase().replace(/\s+/g, '.')}@ferrydemo.example` }); // prettier-ignore
  });
  const register = (name: string, outlet: LsRecord, prefix: string) =>
    add('registers', { name, outlet_id: outlet.id, ask_for_note_on_save: 0, print_note_on_receipt: false, ask_for_user_on_sale: false, show_discounts_on_receipts: true, print_receipt: true, email_receipt: false, invoice_prefix: prefix, invoice_suffix: '', invoice_sequence: 1000, button_layout_id: null, is_open: true, receipt_template_id: uuid(), register_open_time: '2024-03-01T08:00:00+00:00', register_close_time: null, register_open_sequence_id: uuid(), cash_managed_payment_type_id: null }); // prettier-ignore
  const registers = [register('Main Register', outlets[0]!, 'MS-'), register('Second Register', outlets[0]!, 'MS2-'), register('Harbour Register', outlets[1]!, 'HM-'), register('Web Register', outlets[2]!, 'WEB-')]; // prettier-ignore
  const payment = (name: string, type_id: number) => add('payment_types', { name, type_id });
  const payments = [payment('Cash', 1), payment('Credit Card', 2), payment('Gift Card', 7), payment('On Account', 10)];
  const user = (username: string, display_name: string, account_type: string) =>
    add('users', { username, display_name, email: `${username}@ferrydemo.example`, email_verified_at: null, account_type, is_primary_user: account_type === 'admin', enabled: true, restricted_outlet_ids: [], permissions: [], created_at: '2023-11-01T00:00:00+00:00', updated_at: '2023-11-01T00:00:00+00:00' }); // prettier-ignore
  const admin = user(LIGHTSPEED_DEMO.userName, 'Ferry Admin', 'admin');
  const cashier = user('sam.cashier', 'Sam Cashier', 'cashier');
  add('customer_groups', { name: 'All Customers', group_id: 'all' });
  const brands = ['Harbour Ceramics', 'Ferry Apparel', 'Kettle & Co'].map((name) => add('brands', { name }));
  const types = ['Homeware', 'Apparel', 'Coffee', 'Gifts'].map((name) => add('product_types', { name, leaf_category: true, category_path: [] })); // prettier-ignore
  const tags = ['Kitchen', 'Clothing', 'New', 'Sale'].map((name) => add('tags', { name }));
  add('suppliers', { name: 'Pacific Wholesale', source: '', description: '' });
  const size = add('variant_attributes', { name: 'Size' });
  const colour = add('variant_attributes', { name: 'Colour' });
  const ean = (n: number) => `94${String(n).padStart(10, '0')}${(n * 7) % 10}`;

  {
    createProducts(store, { name: 'Espresso Cup', sku: LIGHTSPEED_DEMO.skus.cup, description: '<p>Double-walled espresso cup, 80 ml.</p>', price_excluding_tax: 12, supply_price: 4.5, brand_id: brands[0]!.id, product_type_id: types[0]!.id, tag_ids: [tags[0]!.id], product_codes: [{ type: 'EAN', code: ean(1) }], images: [{ type: 'url', location: 'https://images.ferrydemo.example/espresso-cup.jpg' }], inventory: outlets.map((o, i) => ({ outlet_id: o.id, current_amount: 24 - i * 8 })) }); // prettier-ignore
    createProducts(store, { name: 'Pour-Over Kettle', sku: LIGHTSPEED_DEMO.skus.kettle, description: '<p>Gooseneck kettle, 1 l.</p>', price_excluding_tax: 79, supply_price: 38, brand_id: brands[2]!.id, product_type_id: types[2]!.id, tag_ids: [tags[0]!.id, tags[2]!.id], product_codes: [{ type: 'EAN', code: ean(2) }], inventory: [{ outlet_id: outlets[0]!.id, current_amount: 6 }] }); // prettier-ignore
    createProducts(store, { name: 'Classic Tee', description: '<p>Organic cotton T-shirt.</p>', brand_id: brands[1]!.id, product_type_id: types[1]!.id, tag_ids: [tags[1]!.id], price_excluding_tax: 29, supply_price: 11, variants: LIGHTSPEED_DEMO.skus.tees.map((sku, i) => ({ sku, price_excluding_tax: 29, product_codes: [{ type: 'EAN', code: ean(10 + i) }], variant_definitions: [{ attribute_id: colour.id, value: i < 3 ? 'Black' : 'White' }, { attribute_id: size.id, value: ['S', 'M', 'L'][i % 3]! }], inventory: [{ outlet_id: outlets[0]!.id, current_amount: 10 + i }] })) }); // prettier-ignore
    const [gift] = createProducts(store, { name: 'Gift Card $50', sku: LIGHTSPEED_DEMO.skus.giftCard, price_excluding_tax: 43.47826, tag_ids: [tags[2]!.id] }); // prettier-ignore
    store.put('products', { ...store.get('products', gift!)!, has_inventory: false });
    for (const r of store.all('inventory').filter((r) => r.product_id === gift)) store.purge('inventory', r.id);
    for (let i = 1; i <= counts.products; i++) {
      createProducts(store, { name: `${pick(ADJECTIVES)} ${pick(NOUNS)} ${i}`, sku: `GEN-${String(i).padStart(4, '0')}`, price_excluding_tax: Math.round(5 + random() * 9500) / 100, supply_price: Math.round(2 + random() * 4000) / 100, brand_id: pick(brands).id, product_type_id: pick(types).id, tag_ids: [pick(tags).id], product_codes: [{ type: 'EAN', code: ean(100 + i) }], inventory: outlets.map((o) => ({ outlet_id: o.id, current_amount: Math.floor(random() * 40) })) }); // prettier-ignore
    }

    const address = (prefix: 'physical' | 'postal', n: number) => {
      const [city, state, postcode] = CITIES[n % CITIES.length]!;
      return { [`${prefix}_address_1`]: `${n + 1} Harbour Road`, [`${prefix}_city`]: city, [`${prefix}_state`]: state, [`${prefix}_postcode`]: postcode, [`${prefix}_country_id`]: 'NZ' }; // prettier-ignore
    };
    createCustomer(store, { first_name: 'Anna', last_name: 'Berg', email: LIGHTSPEED_DEMO.customers.person, phone: '+64 9 555 0101', ...address('physical', 0), ...address('postal', 0) }); // prettier-ignore
    createCustomer(store, { first_name: 'Tom', last_name: 'Hale', company_name: 'Hale & Sons Ltd', email: LIGHTSPEED_DEMO.customers.company, phone: '+64 4 555 0102', ...address('physical', 1), ...address('postal', 1) }); // prettier-ignore
    createCustomer(store, { first_name: 'Mia', last_name: 'Chen', company_name: 'Northwind Traders', email: LIGHTSPEED_DEMO.customers.company2, ...address('physical', 2) }); // prettier-ignore
    for (let i = 1; i <= counts.customers; i++) {
      const first = pick(FIRST);
      const last = pick(LAST);
      const company = random() < 0.3 ? { company_name: pick(COMPANIES) } : {};
      createCustomer(store, { first_name: first, last_name: last, email: `${first}.${last}.${i}@example.com`.toLowerCase(), ...company, ...address('physical', i), ...address('postal', i) }); // prettier-ignore
    }

    const sellable = store.active('products').filter((p) => p.has_inventory === true);
    const customers = store.active('customers');
    const sale = (status: string, n: number) => {
      const lines = Array.from({ length: 1 + (n % 3) }, (_, j) => {
        const product = sellable[(n * 5 + j * 3) % sellable.length]!;
        const price = Number(product.price_excluding_tax);
        return { product_id: product.id, quantity: 1 + ((n + j) % 2), price, tax: Math.round(price * 15) / 100, tax_id: gst.id }; // prettier-ignore
      });
      const total = lines.reduce((sum, l) => sum + (l.price + l.tax) * l.quantity, 0);
      const paid = status === 'SAVED' || status === 'LAYBY' || status === 'VOIDED' ? 0 : status === 'ONACCOUNT' ? 0 : total; // prettier-ignore
      registerSale(store, { register_id: registers[n % registers.length]!.id, user_id: (n % 2 ? cashier : admin).id, customer_id: customers[n % customers.length]!.id, status, note: `Demo sale ${n}`, register_sale_products: lines, register_sale_payments: paid > 0 ? [{ retailer_payment_type_id: payments[n % 2]!.id, amount: Math.round(paid * 100) / 100 }] : [] }); // prettier-ignore
    };
    ['CLOSED', 'SAVED', 'ONACCOUNT', 'LAYBY', 'AWAITING_DISPATCH', 'VOIDED'].forEach((status, n) => sale(status, n));
    for (let i = 0; i < counts.sales; i++) sale(random() < 0.8 ? 'CLOSED' : 'SAVED', 6 + i);
    webOrders();
  }

  /**
   * Web orders awaiting dispatch or pickup, of services whose SKUs are Business Central demo items (1090, 1190: BC's
   * services, which the items → products template leaves out, so its counts stay as they are) — the orders → BC
   * sales orders template imports them; the seeded sale awaiting dispatch above sells products BC lacks and fails.
   * Written last, so every record seeded before keeps its ids and contents.
   */
  function webOrders(): void {
    const [installation] = createProducts(store, { name: 'Installation service', sku: LIGHTSPEED_DEMO.skus.bcServices[0], price_excluding_tax: 95 }); // prettier-ignore
    const [delivery] = createProducts(store, { name: 'Delivery and assembly', sku: LIGHTSPEED_DEMO.skus.bcServices[1], price_excluding_tax: 45 }); // prettier-ignore
    const byEmail = (email: string) => store.active('customers').find((c) => c.email === email)!.id;
    // Paid by card, on account and not yet paid: the template's payment terms map has a case of each.
    const orders: [string, string, [string, number][], LsRecord?][] = [
      [LIGHTSPEED_DEMO.customers.person, 'AWAITING_DISPATCH', [[installation!, 2]], payments[1]],
      [
        LIGHTSPEED_DEMO.customers.company,
        'AWAITING_PICKUP',
        [
          [installation!, 1],
          [delivery!, 1],
        ],
        payments[3],
      ],
      [LIGHTSPEED_DEMO.customers.company2, 'AWAITING_DISPATCH', [[delivery!, 3]]],
    ];
    orders.forEach(([email, status, lines, paidBy], n) => {
      const products = lines.map(([id, quantity]) => {
        const price = Number(store.get('products', id)!.price_excluding_tax);
        return { product_id: id, quantity, price, tax: Math.round(price * 15) / 100, tax_id: gst.id };
      });
      const total = Math.round(products.reduce((sum, l) => sum + (l.price + l.tax) * l.quantity, 0) * 100) / 100;
      const paid = paidBy ? [{ retailer_payment_type_id: paidBy.id, amount: total }] : [];
      registerSale(store, { register_id: registers[3]!.id, user_id: admin.id, customer_id: byEmail(email), status, note: `Web order ${n + 1}`, register_sale_products: products, register_sale_payments: paid }); // prettier-ignore
    });
  }
  return store.toJSON();
}
