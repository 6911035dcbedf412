import { describe, expect, it } from 'vitest';
import { bcCatalog } from './catalog.js';
import { checkRecord, decodeMember } from './record-check.js';

const catalog = bcCatalog('v2.0');
const customers = catalog.entitySet('customers')!;
const orders = catalog.entitySet('salesOrders')!;

describe('checkRecord', () => {
  it('converts CSV text to the wire types and enum text to member names (v2.0) or shown text (v1.0)', () => {
    const csv = {
      number: 10000,
      creditLimit: '2500.50',
      taxLiable: 'TRUE',
      blocked: ' ',
      lastModifiedDateTime: '2026-01-02T03:04:05+02:00',
    };
    expect(checkRecord(catalog, customers, csv, true)).toEqual({
      ok: true,
      body: {
        number: '10000',
        creditLimit: 2500.5,
        taxLiable: true,
        blocked: '_x0020_',
        lastModifiedDateTime: '2026-01-02T01:04:05.000Z',
      },
    });
    expect(checkRecord(catalog, customers, { blocked: '_x0020_' }, false)).toEqual({
      ok: true,
      body: { blocked: ' ' },
    });
    expect(decodeMember('G_x002F_L_x0020_Account')).toBe('G/L Account');
  });

  it('checks contained lines against their own set, and says which line', () => {
    const order = {
      customerNumber: '10000',
      orderDate: '2026-03-01T00:00:00Z',
      salesOrderLines: [{ quantity: '2' }, { quantity: 'two' }],
    };
    expect(checkRecord(catalog, orders, order, true)).toEqual({
      ok: false,
      error: 'salesOrderLines[1]: quantity: expected a number, got "two"',
    });
    const fine = checkRecord(
      catalog,
      orders,
      { ...order, salesOrderLines: [{ quantity: '2', lineType: 'Item' }] },
      true,
    );
    expect(fine).toEqual({
      ok: true,
      body: { customerNumber: '10000', orderDate: '2026-03-01', salesOrderLines: [{ quantity: 2, lineType: 'Item' }] },
    });
  });

  it('names unknown fields (with the likely one), bad GUIDs and dates', () => {
    expect(checkRecord(catalog, customers, { DisplayName: 'x' }, true)).toEqual({
      ok: false,
      error: 'customers has no field "DisplayName" (did you mean "displayName"?)',
    });
    expect(checkRecord(catalog, customers, { currencyId: 'USD' }, true)).toEqual({
      ok: false,
      error: 'currencyId: expected a GUID, got "USD"',
    });
    expect(checkRecord(catalog, orders, { orderDate: '01/03/2026' }, true)).toEqual({
      ok: false,
      error: 'orderDate: expected a date (YYYY-MM-DD), got "01/03/2026"',
    });
  });
});
