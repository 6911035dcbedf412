import { describe, expect, it } from 'vitest';
import { bcCatalog } from '../catalog.js';
import { compileFilter } from './filter.js';
import type { Row } from './values.js';

const journalLines = bcCatalog('v2.0').entitySet('journalLines')!;
const customers = bcCatalog('v2.0').entitySet('customers')!;
const v1Customers = bcCatalog('v1.0').entitySet('customers')!;

const lines: Row[] = [
  { id: 'aaaaaaaa-0000-4000-8000-000000000001', lineNumber: 10000, accountType: 'G_x002F_L_x0020_Account', accountNumber: '61100', postingDate: '2024-01-31', amount: 1200, description: "O'Brien rent", lastModifiedDateTime: '2024-02-01T08:00:00.000Z' }, // prettier-ignore
  { id: 'AAAAAAAA-0000-4000-8000-000000000002', lineNumber: 20000, accountType: 'Customer', accountNumber: '10000', postingDate: '2024-02-15', amount: -310.5, description: 'Payment Adatum', lastModifiedDateTime: '2024-02-15T12:30:00.000Z' }, // prettier-ignore
  { id: 'aaaaaaaa-0000-4000-8000-000000000003', lineNumber: 30000, accountType: 'Vendor', accountNumber: '20000', postingDate: '2024-03-01', amount: 0, description: 'Correction', lastModifiedDateTime: '2024-03-01T00:00:00.000Z' }, // prettier-ignore
];
const numbers = (filter: string, rows = lines) =>
  rows.filter(compileFilter(filter, journalLines)).map((r) => r.lineNumber);

describe('$filter', () => {
  it('compares numbers (integers, negative decimals) with every operator', () => {
    expect(numbers('amount eq 1200')).toEqual([10000]);
    expect(numbers('amount ne 0')).toEqual([10000, 20000]);
    expect(numbers('amount lt -300.25')).toEqual([20000]);
    expect(numbers('amount le 0')).toEqual([20000, 30000]);
    expect(numbers('amount gt 0')).toEqual([10000]);
    expect(numbers('lineNumber ge 20000')).toEqual([20000, 30000]);
  });

  it('compares strings, quoted with doubled quotes, and string functions', () => {
    expect(numbers("accountNumber eq '10000'")).toEqual([20000]);
    expect(numbers("description eq 'O''Brien rent'")).toEqual([10000]);
    expect(numbers("contains(description,'Adatum')")).toEqual([20000]);
    expect(numbers("startswith(description,'Corr')")).toEqual([30000]);
    expect(numbers("endswith(description,'rent')")).toEqual([10000]);
    expect(numbers("startswith(tolower(description),'payment')")).toEqual([20000]);
    expect(numbers("accountNumber gt '19999'")).toEqual([10000, 30000]);
  });

  it('reads dates and date-times unquoted, date-times as instants', () => {
    expect(numbers('postingDate ge 2024-02-01')).toEqual([20000, 30000]);
    expect(numbers('postingDate lt 2024-02-15')).toEqual([10000]);
    expect(numbers('lastModifiedDateTime gt 2024-02-15T12:00:00Z')).toEqual([20000, 30000]);
    expect(numbers('lastModifiedDateTime gt 2024-02-15T13:29:59+01:00')).toEqual([20000, 30000]);
    expect(numbers('lastModifiedDateTime eq 2024-03-01T00:00:00Z')).toEqual([30000]);
  });

  it('compares GUIDs unquoted and case-insensitively', () => {
    expect(numbers('id eq aaaaaaaa-0000-4000-8000-000000000002')).toEqual([20000]);
    expect(numbers('id ne AAAAAAAA-0000-4000-8000-000000000001')).toEqual([20000, 30000]);
  });

  it('takes enum members escaped, plain or as a typed enum literal', () => {
    expect(numbers("accountType eq 'G_x002F_L_x0020_Account'")).toEqual([10000]);
    expect(numbers("accountType eq 'G/L Account'")).toEqual([10000]);
    expect(numbers("accountType eq Microsoft.NAV.genJournalAccountType'Customer'")).toEqual([20000]);
    expect(numbers("accountType ne 'Customer'")).toEqual([10000, 30000]);
  });

  it('combines with and, not, parentheses, and or on one field', () => {
    expect(numbers("amount gt -1000 and accountType ne 'Vendor'")).toEqual([10000, 20000]);
    expect(numbers('not (amount eq 0)')).toEqual([10000, 20000]);
    expect(numbers("(accountNumber eq '10000') or (accountNumber eq '20000')")).toEqual([20000, 30000]);
  });

  it("refuses `or` across fields, as BC's per-field filters cannot express it", () => {
    expect(() => compileFilter("accountNumber eq '1' or amount eq 0", journalLines)).toThrow(/only supported between conditions on the same field/); // prettier-ignore
  });

  it('answers BC-style errors for unknown properties, wrong literal types and syntax errors', () => {
    expect(() => compileFilter('nope eq 1', customers)).toThrow(
      "Could not find a property named 'nope' on type 'Microsoft.NAV.customer'.",
    );
    expect(() => compileFilter('number eq 10000', customers)).toThrow(
      /incompatible types.*'Edm.String' and 'Edm.Int16'/,
    );
    expect(() => compileFilter("blocked eq 'Sometimes'", customers)).toThrow(/not a valid enumerated type constant/);
    expect(() => compileFilter("id eq 'not-a-guid'", customers)).toThrow(/incompatible types/);
    expect(() => compileFilter('number eq', customers)).toThrow(/Syntax error at position/);
  });

  it('reaches into v1.0 complex types with a path', () => {
    const rows = [
      { number: '1', address: { city: 'Miami', postalCode: '37125' } },
      { number: '2', address: { city: 'Atlanta', postalCode: '31772' } },
    ];
    expect(rows.filter(compileFilter("address/city eq 'Atlanta'", v1Customers)).map((r) => r.number)).toEqual(['2']);
    expect(() => compileFilter("address/town eq 'x'", v1Customers)).toThrow(/Could not find a property named 'town'/);
  });
});
