import { describe, expect, it } from 'vitest';
import { lightspeedCatalog } from './catalog.js';
import { recordBody } from './record-check.js';

const catalog = lightspeedCatalog();
const customers = catalog.entity('customers')!;
const products = catalog.entity('products')!;
const sales = catalog.entity('sales')!;

describe('recordBody', () => {
  it('converts CSV text by the field’s type and leaves out what Lightspeed maintains or what is empty', () => {
    expect(recordBody(customers, 'create', { first_name: 'Ana', last_name: 'Ng', do_not_email: 'Yes', on_account_limit: '250.5', date_of_birth: '1990-04-05', balance: 12, id: 'x', version: 3, phone: '', note: null })).toEqual({ ok: true, body: { first_name: 'Ana', last_name: 'Ng', do_not_email: true, on_account_limit: 250.5, date_of_birth: '1990-04-05', note: null } }); // prettier-ignore
  });

  it('names the field of a bad value, a near miss, and what a create needs', () => {
    expect(recordBody(customers, 'create', { first_name: 'A', last_name: 'B', do_not_email: 'maybe' })).toEqual({ ok: false, error: 'do_not_email: expected true or false, got "maybe"' }); // prettier-ignore
    expect(recordBody(customers, 'create', { first_name: 'A', last_name: 'B', Email: 'a@b.c' })).toEqual({ ok: false, error: 'Email: not a field Lightspeed takes here (did you mean email?)' }); // prettier-ignore
    expect(recordBody(customers, 'create', { first_name: 'A' })).toEqual({ ok: false, error: 'last_name: required to create customers in Lightspeed' }); // prettier-ignore
    expect(recordBody(customers, 'update', { first_name: 'A' })).toEqual({ ok: true, body: { first_name: 'A' } });
    expect(recordBody(products, 'create', { name: 'X', weight_unit: 'STONE' })).toEqual({ ok: false, error: 'weight_unit: "STONE" is not one of CT, G, OZ, LB, KG' }); // prettier-ignore
    expect(recordBody(products, 'create', { name: 'X', tag_ids: 'a,b' })).toEqual({ ok: false, error: 'tag_ids: expected a list' }); // prettier-ignore
  });

  it('converts nested lines by their own fields, naming the line at fault', () => {
    const line = { product_id: 'p', quantity: '2', price: '9.5', tax: '1.43', tax_id: 't' };
    const sale = { register_id: 'r', user_id: 'u', status: 'CLOSED', line_items: [line, { ...line, quantity: 'two' }] };
    expect(recordBody(sales, 'create', sale)).toEqual({ ok: false, error: 'line_items[1].quantity: expected a number, got "two"' }); // prettier-ignore
    const ok = recordBody(sales, 'create', { ...sale, line_items: [line], payments: [{ retailer_payment_type_id: 'c', amount: '21.86' }] }); // prettier-ignore
    expect(ok).toEqual({ ok: true, body: { ...sale, line_items: [{ ...line, quantity: 2, price: 9.5, tax: 1.43 }], payments: [{ retailer_payment_type_id: 'c', amount: 21.86 }] } }); // prettier-ignore
    expect(recordBody(sales, 'create', { ...sale, line_items: [{ quantity: 1 }] })).toEqual({ ok: false, error: 'line_items[0].product_id: required to create sales in Lightspeed' }); // prettier-ignore
    expect(recordBody(catalog.entity('outlets')!, 'create', { name: 'X' })).toEqual({ ok: false, error: 'Lightspeed does not create outlets' }); // prettier-ignore
  });
});
