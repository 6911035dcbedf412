import { describe, expect, it } from 'vitest';
import { compileAcuFilter, preprocessFilter } from './filter.js';
import type { Primitive } from './values.js';

type Row = Record<string, Primitive>;
const TYPES: Record<string, string> = { Name: 'StringValue', Qty: 'DecimalValue', Modified: 'DateTimeValue', Active: 'BooleanValue' }; // prettier-ignore
const rows: Row[] = [
  { Name: 'Alpha', Qty: 0, Modified: '2024-11-01T10:00:00+00:00', Active: true },
  { Name: "O'Brien", Qty: 5.5, Modified: '2024-10-31T23:59:59+00:00', Active: false },
  { Name: 'beta', Qty: 12, Modified: '2024-11-02T00:00:00+00:00', Active: true },
];
const names = (filter: string) =>
  rows
    .filter(
      compileAcuFilter(filter, ([name]) => {
        if (!TYPES[name!]) throw new Error(`unknown ${name}`);
        return { type: TYPES[name!]!, read: (r) => (r as Row | undefined)?.[name!] };
      }).predicate,
    )
    .map((r) => r.Name);

describe('Acumatica $filter', () => {
  it('rewrites OData v3 literals outside quoted text and custom-field calls into identifiers', () => {
    expect(preprocessFilter("Modified gt datetimeoffset'2024-07-15T10:31:28.402+03:00'").text).toBe('Modified gt 2024-07-15T10:31:28.402+03:00'); // prettier-ignore
    expect(preprocessFilter("Name eq 'datetimeoffset''x''' and Qty eq 0M").text).toBe("Name eq 'datetimeoffset''x''' and Qty eq 0"); // prettier-ignore
    const prepared = preprocessFilter("cf.Decimal(f='Document.CuryBalanceWOTotal') eq 10.5m and Id eq guid'6F1B8C2E-4A3D-4E5F-9B7A-1C2D3E4F5A6B'"); // prettier-ignore
    expect(prepared.text).toBe('cf__0 eq 10.5 and Id eq 6F1B8C2E-4A3D-4E5F-9B7A-1C2D3E4F5A6B');
    expect(prepared.custom.get('cf__0')).toEqual({
      view: 'Document',
      field: 'CuryBalanceWOTotal',
      type: 'DecimalValue',
    });
  });

  it('compares text without regard to case, quotes doubled, numbers and booleans by value', () => {
    expect(names("Name eq 'BETA'")).toEqual(['beta']);
    expect(names("Name eq 'O''Brien'")).toEqual(["O'Brien"]);
    expect(names('Qty gt 0 and Active eq true')).toEqual(['beta']);
    expect(names('not (Qty eq 0)')).toEqual(["O'Brien", 'beta']);
    // @odata/parser lets `not` take the rest of the expression; parentheses keep it to one condition.
    expect(names("(not (Qty eq 0)) or Name eq 'alpha'")).toEqual(['Alpha', "O'Brien", 'beta']);
    expect(names("substringof('BRI', Name)")).toEqual(["O'Brien"]);
  });

  it('reads a date against a date-time as that day: equal within it, ordered from its midnight', () => {
    expect(names("Modified eq datetimeoffset'2024-11-01'")).toEqual(['Alpha']);
    expect(names('Modified gt 2024-11-01')).toEqual(['Alpha', 'beta']);
    expect(names('Modified lt 2024-11-01')).toEqual(["O'Brien"]);
    expect(names("Modified ge datetimeoffset'2024-11-01T10:00:00Z'")).toEqual(['Alpha', 'beta']);
  });

  it('fails on unknown fields on either side of and/or, and on syntax errors, before reading a record', () => {
    expect(() => names("Name eq 'x' and Nope eq 1")).toThrow(/unknown Nope/);
    expect(() => names('Name eq')).toThrow(/syntax error at position/);
  });
});
