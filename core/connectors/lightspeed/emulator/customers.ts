// Customers (`POST /api/2.0/customers` → 201, `PUT /api/2.0/customers/{id}` → 200, both with CustomerBase; DELETE →
// 204 and a soft delete). The server fills what a new customer has without being told: a customer code from the
// first name (`Tony-N4ZJ` in the spec's examples), the default customer group, zero balances, `name`.
import { lightspeedCatalog } from '../catalog.js';
import { checkBody } from './body-check.js';
import { badRequest, notFound } from './errors.js';
import type { LsRecord, LsStore } from './store.js';

type Json = Record<string, unknown>;

const CODE_CHARS = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function customerCode(store: LsStore, first: unknown): string {
  let n = store.nextSequence() * 2654435761;
  let suffix = '';
  for (let i = 0; i < 4; i++) {
    suffix += CODE_CHARS[n % CODE_CHARS.length];
    n = Math.floor(n / CODE_CHARS.length);
  }
  const stem = typeof first === 'string' && first.trim() !== '' ? first.trim().split(/\s+/)[0] : 'UNNAMED';
  return `${stem}-${suffix}`;
}

function assertUniqueCode(store: LsStore, code: unknown, except?: string): void {
  if (typeof code !== 'string') return;
  const taken = store.active('customers').find((c) => c.customer_code === code && c.id !== except);
  if (taken) throw badRequest(`customer_code: "${code}" is already the code of customer ${taken.id}`);
}

function assertGroup(store: LsStore, id: unknown): void {
  if (id !== undefined && !store.get('customer_groups', String(id))) {
    throw badRequest(`customer_group_id: no customer group ${String(id)}`);
  }
}

function withName(customer: Json): Json {
  const parts = [customer.first_name, customer.last_name].filter((p) => typeof p === 'string' && p !== '');
  return { ...customer, name: parts.length > 0 ? parts.join(' ') : null };
}

const NULLABLE_TEXT = ['email', 'note', 'gender', 'date_of_birth', 'company_name', 'phone', 'mobile', 'fax', 'twitter', 'website', 'physical_address_1', 'physical_address_2', 'physical_suburb', 'physical_city', 'physical_postcode', 'physical_state', 'physical_country_id', 'postal_address_1', 'postal_address_2', 'postal_suburb', 'postal_city', 'postal_postcode', 'postal_state', 'postal_country_id', 'custom_field_1', 'custom_field_2', 'custom_field_3', 'custom_field_4']; // prettier-ignore

export function createCustomer(store: LsStore, body: unknown): LsRecord {
  checkBody(lightspeedCatalog().entity('customers')!.create!.fields, body);
  const input = body as Json;
  assertUniqueCode(store, input.customer_code);
  assertGroup(store, input.customer_group_id);
  const defaultGroup = store.all('customer_groups')[0]?.id ?? '';
  const customer: Json = {
    id: store.newId(),
    customer_code: customerCode(store, input.first_name),
    customer_group_id: defaultGroup,
    enable_loyalty: false,
    do_not_email: false,
    ...Object.fromEntries(NULLABLE_TEXT.map((f) => [f, null])),
    on_account_limit: null,
    year_to_date: 0,
    balance: 0,
    loyalty_balance: 0,
    ...input,
    created_at: null,
    updated_at: null,
    deleted_at: null,
  };
  return store.put('customers', withName(customer) as LsRecord);
}

export function updateCustomer(store: LsStore, id: string, body: unknown): LsRecord {
  const customer = store.get('customers', id);
  if (!customer || customer.deleted_at) throw notFound(`customer ${id}`);
  checkBody(lightspeedCatalog().entity('customers')!.update!.fields, body);
  const input = body as Json;
  assertUniqueCode(store, input.customer_code, id);
  assertGroup(store, input.customer_group_id);
  return store.put('customers', withName({ ...customer, ...input }) as LsRecord);
}

export function deleteCustomer(store: LsStore, id: string): void {
  const customer = store.get('customers', id);
  if (!customer || customer.deleted_at) throw notFound(`customer ${id}`);
  store.remove('customers', id);
}
