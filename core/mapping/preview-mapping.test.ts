import { describe, expect, it } from 'vitest';
import type { EntityField } from '../model/descriptor.js';
import { mappingPreviewSchema, type MapConfig, type ValueMapFile } from '../model/mapping.js';
import { previewMapping } from './preview-mapping.js';

const terms: ValueMapFile = {
  schemaVersion: 1,
  id: 'terms',
  name: 'Payment terms',
  entries: [{ from: '30', to: '30D' }],
  fallback: { kind: 'fail' },
};
const units: ValueMapFile = {
  schemaVersion: 1,
  id: 'units',
  name: 'Units',
  entries: [{ from: 'PCS', to: 'EA' }],
  fallback: { kind: 'fail' },
};
const valueMaps = new Map([
  ['terms', terms],
  ['units', units],
]);

const targetFields: EntityField[] = [
  { name: 'id', type: 'string', readOnly: true },
  { name: 'number', type: 'string' },
  { name: 'name', type: 'string', required: true },
  { name: 'qty', type: 'integer' },
  { name: 'price', type: 'number' },
  { name: 'blocked', type: 'boolean' },
  { name: 'since', type: 'date' },
  { name: 'changed', type: 'datetime' },
  { name: 'terms', type: 'string' },
  { name: 'lines', type: 'array' },
  { name: 'address', type: 'object' },
];

describe('previewMapping', () => {
  it('shows each record’s output, and a failing record’s error with every field error where it occurs', async () => {
    const config: MapConfig = {
      fields: [
        { target: 'number', expression: 'no' },
        { target: 'name', expression: 'name' },
        { target: 'terms', expression: 'terms', valueMap: 'terms' },
        {
          target: 'lines',
          expression: 'items',
          fields: [
            { target: 'sku', expression: 'sku' },
            { target: 'unit', expression: 'uom', valueMap: 'units' },
          ],
        },
      ],
    };
    const preview = await previewMapping(
      config,
      [
        { no: 'A1', name: 'Ann', terms: 30, items: [{ sku: 'X', uom: 'PCS' }] },
        {
          no: 'A2',
          name: 'Bob',
          terms: 45,
          items: [
            { sku: 'X', uom: 'PCS' },
            { sku: 'Y', uom: 'KG' },
          ],
        },
      ],
      { valueMaps, targetFields },
    );
    expect(mappingPreviewSchema.parse(preview)).toEqual(preview);
    expect(preview.problems).toEqual([]);
    expect(preview.rows[0]).toEqual({
      input: { no: 'A1', name: 'Ann', terms: 30, items: [{ sku: 'X', uom: 'PCS' }] },
      output: { number: 'A1', name: 'Ann', terms: '30D', lines: [{ sku: 'X', unit: 'EA' }] },
      fieldErrors: [],
    });
    expect(preview.rows[1]!.output).toBeUndefined();
    expect(preview.rows[1]!.error).toBe('terms: value "45" is not in value map "Payment terms"');
    expect(preview.rows[1]!.fieldErrors).toEqual([
      { target: 'terms', message: 'value "45" is not in value map "Payment terms"' },
      { target: 'lines[1].unit', message: 'value "KG" is not in value map "Units"' },
    ]);
  });

  it('checks values against the destination’s field types, required fields and read-only ones', async () => {
    const config: MapConfig = {
      fields: [
        { target: 'id', expression: 'id' },
        { target: 'name', expression: 'name' },
        { target: 'qty', expression: 'qty' },
        { target: 'price', expression: 'price' },
        { target: 'blocked', expression: 'blocked' },
        { target: 'since', expression: 'since' },
        { target: 'changed', expression: 'changed' },
        { target: 'address.city', expression: 'city' },
      ],
    };
    const preview = await previewMapping(
      config,
      [
        {
          name: 'ok',
          qty: 3,
          price: 2.5,
          blocked: false,
          since: '2026-01-31',
          changed: '2026-01-31T10:00:00Z',
          city: 'Oslo',
        },
        { id: 'x', name: '', qty: 2.5, price: '9.90', blocked: 'no', since: '31.01.2026', changed: '2026-01-31' },
        { name: null, qty: null },
      ],
      { targetFields },
    );
    expect(preview.rows[0]!.fieldErrors).toEqual([]);
    expect(preview.rows[0]!.output).toEqual({
      name: 'ok',
      qty: 3,
      price: 2.5,
      blocked: false,
      since: '2026-01-31',
      changed: '2026-01-31T10:00:00Z',
      address: { city: 'Oslo' },
    });
    expect(preview.rows[1]!.fieldErrors).toEqual([
      { target: 'id', message: 'read-only: the destination sets it' },
      { target: 'name', message: 'required field is empty' },
      { target: 'qty', message: 'type mismatch: expected a whole number, got number 2.5' },
      { target: 'price', message: 'type mismatch: expected a number, got text "9.90"' },
      { target: 'blocked', message: 'type mismatch: expected true or false, got text "no"' },
      { target: 'since', message: 'type mismatch: expected a date (YYYY-MM-DD), got text "31.01.2026"' },
      { target: 'changed', message: 'type mismatch: expected a date and time (ISO 8601), got text "2026-01-31"' },
    ]);
    expect(preview.rows[2]!.fieldErrors).toEqual([{ target: 'name', message: 'required field is empty' }]);
  });

  it('reports expression errors at their field and the record’s error as a run would', async () => {
    const preview = await previewMapping(
      {
        fields: [
          { target: 'price', expression: '$number(p)' },
          { target: 'lines', expression: 'items', fields: [{ target: 'qty', expression: 'q * 2' }] },
        ],
      },
      [{ p: 'abc', items: [{ q: 1 }, { q: 'two' }] }],
    );
    expect(preview.rows[0]!.error).toMatch(/^price: \$number\(p\): D3030: /);
    expect(preview.rows[0]!.fieldErrors).toEqual([
      { target: 'price', message: expect.stringMatching(/^\$number\(p\): D3030: /) as unknown },
      { target: 'lines[1].qty', message: expect.stringMatching(/^q \* 2: T2001: /) as unknown },
    ]);
  });

  it('reports config problems by path without throwing, and previews the fields that work', async () => {
    const preview = await previewMapping(
      {
        fields: [
          { target: 'a', expression: 'a' },
          { target: 'b', expression: 'b +' },
          { target: 'c', expression: 'c', valueMap: 'nope' },
          { target: '', expression: 'd' },
        ],
      },
      [{ a: 1, b: 2, c: 3, d: 4 }],
      { valueMaps },
    );
    expect(preview.problems).toEqual([
      { path: 'fields[3].target', message: 'must not be empty' },
      { path: 'fields[1].expression', message: expect.stringMatching(/^S0\d+: /) as unknown },
      { path: 'fields[2].valueMap', message: 'unknown value map "nope" (expected one of terms, units)' },
    ]);
    expect(preview.rows[0]!.output).toEqual({ a: 1 });
  });

  it('survives a config that is not a mapping at all', async () => {
    const preview = await previewMapping({ fields: 'x' } as unknown as MapConfig, [{ a: 1 }]);
    expect(preview.problems).toEqual([{ path: 'fields', message: 'expected array, got "x"' }]);
    expect(preview.rows).toEqual([{ input: { a: 1 }, output: {}, fieldErrors: [] }]);
    const none = await previewMapping(null as unknown as MapConfig, []);
    expect(none.rows).toEqual([]);
    expect(none.problems.length).toBeGreaterThan(0);
  });
});
