import { describe, expect, it } from 'vitest';
import { bcCatalog } from './catalog.js';
import { keyLiteral } from './client.js';
import { fromV1, selectV1, shapeRules, toV1 } from './shape.js';

const v1Customer = {
  '@odata.etag': 'W/"JzQ0O0V0Yz0nOzAwOyc="',
  id: '5d115c9c-44e3-ea11-bb43-000d3a2feca1',
  number: '10000',
  displayName: 'Adatum Corporation',
  address: {
    street: 'Station Street, 48\r\nBuilding 2',
    city: 'Atlanta',
    state: 'GA',
    countryLetterCode: 'US',
    postalCode: '31772',
  },
  blocked: ' ',
  lastModifiedDateTime: '2026-03-01T10:00:00Z',
};

describe('v1.0 ↔ v2.0 shape', () => {
  it('flattens a v1.0 customer address into the v2.0 fields (street split at its line break)', () => {
    expect(fromV1('customers', v1Customer)).toEqual({
      '@odata.etag': 'W/"JzQ0O0V0Yz0nOzAwOyc="',
      id: '5d115c9c-44e3-ea11-bb43-000d3a2feca1',
      number: '10000',
      displayName: 'Adatum Corporation',
      addressLine1: 'Station Street, 48',
      addressLine2: 'Building 2',
      city: 'Atlanta',
      state: 'GA',
      country: 'US',
      postalCode: '31772',
      blocked: ' ',
      lastModifiedDateTime: '2026-03-01T10:00:00Z',
    });
  });

  it('round-trips: v2.0 → v1.0 → v2.0 keeps every field', () => {
    const flat = fromV1('customers', v1Customer);
    expect(toV1('customers', flat)).toEqual(v1Customer);
    expect(fromV1('customers', toV1('customers', flat))).toEqual(flat);
  });

  it('sends only the address parts a patch has', () => {
    expect(toV1('customers', { city: 'Rome', displayName: 'X' })).toEqual({
      displayName: 'X',
      address: { city: 'Rome' },
    });
    expect(toV1('customers', { displayName: 'X' })).toEqual({ displayName: 'X' });
  });

  it('maps sales order addresses, dates and lines (line object and unit of measure)', () => {
    const order = fromV1('salesOrders', {
      id: 'o1',
      orderDate: '2026-03-02T00:00:00Z',
      sellingPostalAddress: { street: 'A 1', city: 'B', state: '', countryLetterCode: 'DE', postalCode: '1' },
      billingPostalAddress: { street: '', city: '', state: '', countryLetterCode: '', postalCode: '' },
      shippingPostalAddress: null,
      salesOrderLines: [
        {
          id: 'o1-10000',
          sequence: 10000,
          lineDetails: { number: '1896-S', displayName: 'ATHENS Desk' },
          unitOfMeasure: { code: 'PCS', displayName: 'Piece', symbol: '' },
        },
      ],
    });
    expect(order).toMatchObject({
      orderDate: '2026-03-02',
      sellToAddressLine1: 'A 1',
      sellToCountry: 'DE',
      sellToPostCode: '1',
      billToAddressLine1: '',
      shipToCity: '',
      salesOrderLines: [{ id: 'o1-10000', sequence: 10000, lineObjectNumber: '1896-S', unitOfMeasureCode: 'PCS' }],
    });
    expect(order).not.toHaveProperty('sellingPostalAddress');
    const back = toV1('salesOrders', {
      orderDate: '2026-03-02',
      salesOrderLines: [{ lineObjectNumber: '1896-S', quantity: 2 }],
    });
    expect(back).toEqual({
      orderDate: '2026-03-02T00:00:00Z',
      salesOrderLines: [{ lineDetails: { number: '1896-S' }, quantity: 2 }],
    });
  });

  it('selects the v1.0 property that carries a v2.0 field; entities without rules pass through', () => {
    expect(selectV1('customers', ['number', 'city', 'addressLine1'])).toEqual(['number', 'address']);
    expect(selectV1('items', ['baseUnitOfMeasureCode'])).toEqual(['baseUnitOfMeasure']);
    expect(shapeRules('currencies')).toEqual([]);
  });
});

describe('key literals per version', () => {
  it('quotes v1.0 string line keys, leaves GUIDs and entry numbers bare', () => {
    const v1 = bcCatalog('v1.0');
    const v2 = bcCatalog('v2.0');
    expect(keyLiteral(v1.entitySet('salesOrderLines')!, 'o1-10000')).toBe("'o1-10000'");
    expect(keyLiteral(v1.entitySet('salesOrderLines')!, "it's")).toBe("'it''s'");
    expect(keyLiteral(v2.entitySet('salesOrderLines')!, '32d80403-e236-f011-9a4a-7ced8d0ee6e7')).toBe(
      '32d80403-e236-f011-9a4a-7ced8d0ee6e7',
    );
    expect(keyLiteral(v1.entitySet('generalLedgerEntries')!, '42')).toBe('42');
  });
});
