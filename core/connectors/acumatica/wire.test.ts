import { describe, expect, it } from 'vitest';
import { acumaticaCatalog } from './catalog.js';
import { dateTimeOffsetLiteral } from './client.js';
import { CookieJar } from './cookies.js';
import { convert, fieldErrors, unwrapRecord, wrapRecord } from './wire.js';

const catalog = acumaticaCatalog('Default', '24.200.001');
const customer = catalog.entity('Customer')!;
const salesOrder = catalog.entity('SalesOrder')!;

describe('unwrapRecord', () => {
  it('unwraps values, linked entities, details and the custom block; drops what only the server uses', () => {
    const wire = {
      id: 'a6295b33-0000-0000-0000-000000000001',
      rowNumber: 1,
      note: { value: 'VIP' },
      OrderType: { value: 'SO' },
      OrderNbr: { value: '000001' },
      OrderTotal: { value: 125.5 },
      Hold: { value: false },
      Description: {},
      ShipToAddress: { id: 'b', rowNumber: 1, City: { value: 'Bergen' }, custom: {} },
      Details: [
        { id: 'c', rowNumber: 1, InventoryID: { value: 'AALEGO500' }, OrderQty: { value: 2 }, custom: {} },
        { id: 'd', rowNumber: 2, InventoryID: { value: 'CONGRILL' }, OrderQty: { value: 1 }, custom: {} },
      ],
      custom: { Document: { AttrColor: { type: 'CustomStringField', value: 'red' } } },
      _links: { self: '/entity/Default/24.200.001/SalesOrder/a629…' },
      files: [],
    };
    expect(unwrapRecord(wire)).toEqual({
      id: 'a6295b33-0000-0000-0000-000000000001',
      note: 'VIP',
      OrderType: 'SO',
      OrderNbr: '000001',
      OrderTotal: 125.5,
      Hold: false,
      Description: null,
      ShipToAddress: { id: 'b', City: 'Bergen' },
      Details: [
        { id: 'c', InventoryID: 'AALEGO500', OrderQty: 2 },
        { id: 'd', InventoryID: 'CONGRILL', OrderQty: 1 },
      ],
      'custom.Document.AttrColor': 'red',
    });
  });
});

describe('wrapRecord', () => {
  it('wraps by the catalog: CSV text to numbers and booleans, details, linked entities, custom fields', () => {
    const result = wrapRecord(catalog, salesOrder, {
      OrderType: 'SO',
      CustomerID: 'ABARTENDE',
      Hold: 'false',
      Details: [{ InventoryID: 'AALEGO500', OrderQty: '3', UnitPrice: '9.95' }],
      ShipToAddress: { City: 'Bergen' },
      'custom.Document.AttrColor': 'red',
      custom: { Document: { AttrSize: 3 } },
      note: 'rush',
    });
    expect(result).toEqual({
      ok: true,
      body: {
        OrderType: { value: 'SO' },
        CustomerID: { value: 'ABARTENDE' },
        Hold: { value: false },
        Details: [{ InventoryID: { value: 'AALEGO500' }, OrderQty: { value: 3 }, UnitPrice: { value: 9.95 } }],
        ShipToAddress: { City: { value: 'Bergen' } },
        custom: {
          Document: {
            AttrColor: { type: 'CustomStringField', value: 'red' },
            AttrSize: { type: 'CustomIntField', value: 3 },
          },
        },
        note: { value: 'rush' },
      },
    });
  });

  it('takes custom field types from the instance schema when known', () => {
    const types = new Map([['Document.AttrSize', 'CustomDecimalField']]);
    const result = wrapRecord(catalog, customer, { CustomerID: 'C1', 'custom.Document.AttrSize': 3 }, types);
    expect(result.ok && result.body.custom).toEqual({
      Document: { AttrSize: { type: 'CustomDecimalField', value: 3 } },
    });
  });

  it('fails the record with every problem: unknown fields (with the likely name), bad values, bad custom names', () => {
    const result = wrapRecord(catalog, salesOrder, {
      customerid: 'X',
      OrderTotal: 'lots',
      Details: [{ OrderQty: 'two' }],
      ShipToAddress: 'Bergen',
      'custom.AttrColor': 'red',
    });
    expect(result).toEqual({
      ok: false,
      error:
        'customerid: SalesOrder has no field "customerid" (did you mean CustomerID?); OrderTotal: expected a number, ' +
        'got "lots"; Details[0].OrderQty: expected a number, got "two"; ShipToAddress: expected an object (the ' +
        'linked Address); custom.AttrColor: custom fields are named custom.<View>.<Field>',
    });
  });
});

describe('convert', () => {
  it('keeps integers in their wrapper range and dates parseable; null clears', () => {
    expect(convert('ShortValue', '40000')).toEqual({ error: "40000 is outside ShortValue's range -32768…32767" });
    expect(convert('IntValue', '12')).toEqual({ value: 12 });
    expect(convert('IntValue', '1.5')).toEqual({ error: 'expected a whole number, got "1.5"' });
    expect(convert('DateTimeValue', '2026-05-01')).toEqual({ value: '2026-05-01' });
    expect(convert('DateTimeValue', 'soon')).toEqual({ error: 'expected a date or date-time, got "soon"' });
    expect(convert('BooleanValue', 'yes')).toEqual({ value: true });
    expect(convert('DecimalValue', null)).toEqual({ value: null });
  });
});

describe('fieldErrors', () => {
  it('lists the errors of a 422 body by path, details and custom fields included', () => {
    const body = {
      error: "Inserting  'Sales Order' record raised at least one error.",
      CustomerID: { value: 'NOPE', error: "'Customer' cannot be found in the system." },
      Details: [
        { InventoryID: { value: 'A' } },
        { InventoryID: { value: 'B', error: "'Inventory ID' cannot be empty." } },
      ],
      ShipToAddress: { Country: { value: 'XX', error: "'Country' cannot be found in the system." } },
      custom: { Document: { AttrColor: { type: 'CustomStringField', value: 'x', error: 'bad colour' } } },
    };
    expect(fieldErrors(body)).toEqual([
      "Inserting  'Sales Order' record raised at least one error.",
      "CustomerID: 'Customer' cannot be found in the system.",
      "Details[1].InventoryID: 'Inventory ID' cannot be empty.",
      "ShipToAddress.Country: 'Country' cannot be found in the system.",
      'custom.Document.AttrColor: bad colour',
    ]);
  });
});

describe('dateTimeOffsetLiteral', () => {
  it('keeps a value with an offset as written and reads one without as UTC', () => {
    expect(dateTimeOffsetLiteral('2024-07-15T10:31:28.402+03:00')).toBe(
      "datetimeoffset'2024-07-15T10:31:28.402+03:00'",
    );
    expect(dateTimeOffsetLiteral('2024-07-15T10:31:28')).toBe("datetimeoffset'2024-07-15T10:31:28.000Z'");
    expect(dateTimeOffsetLiteral('2024-07-15')).toBe("datetimeoffset'2024-07-15T00:00:00.000Z'");
    expect(() => dateTimeOffsetLiteral('yesterday')).toThrow('is not a date-time');
  });
});

describe('CookieJar', () => {
  it('keeps the latest value of each cookie and drops expired ones', () => {
    const jar = new CookieJar();
    const set = (...lines: string[]) => ({ getSetCookie: () => lines });
    jar.update(
      set('ASP.NET_SessionId=abc; path=/; HttpOnly', '.ASPXAUTH=T1; path=/', 'Locale=Culture=en-US&TimeZone=X'),
    );
    jar.update(set('.ASPXAUTH=T2; path=/'));
    expect(jar.header()).toBe('ASP.NET_SessionId=abc; .ASPXAUTH=T2; Locale=Culture=en-US&TimeZone=X');
    jar.update(set('ASP.NET_SessionId=; expires=Thu, 01-Jan-1970 00:00:00 GMT; path=/', 'Locale=x; Max-Age=0'));
    expect(jar.header()).toBe('.ASPXAUTH=T2');
  });
});
