import { describe, expect, it } from 'vitest';
import {
  addRow,
  customRows,
  linesPathOf,
  mapToTarget,
  removeRow,
  rowAt,
  rowConfigPath,
  sourceExpression,
  unmappedRequired,
  updateRow,
} from './map-edits.js';

const config = {
  keepUnmapped: true,
  fields: [
    { target: 'name', expression: 'displayName' },
    { target: 'lines', expression: 'orderLines', fields: [{ target: 'sku', expression: 'itemNo' }] },
  ],
};

describe('map config edits', () => {
  it('addresses rows and line rows by index path', () => {
    expect(rowAt(config, [1, 0])).toEqual({ target: 'sku', expression: 'itemNo' });
    expect(rowAt(config, [5])).toBeUndefined();
    expect(rowConfigPath([1, 0])).toBe('fields[1].fields[0]');
  });

  it('updates, removes (undefined) and adds keys and rows without touching the rest', () => {
    const edited = updateRow(config, [1, 0], { apply: 'createOnly', expression: 'number' });
    expect(edited.fields).toEqual([
      config.fields[0],
      { ...config.fields[1], fields: [{ target: 'sku', expression: 'number', apply: 'createOnly' }] },
    ]);
    expect(edited.keepUnmapped).toBe(true);
    expect(rowAt(updateRow(edited, [1, 0], { apply: undefined }), [1, 0])).toEqual({
      target: 'sku',
      expression: 'number',
    });
    expect(removeRow(config, [0]).fields).toEqual([config.fields[1]]);
    const added = addRow(config, [1], { target: 'qty', expression: 'quantity' });
    expect(added.path).toEqual([1, 1]);
    expect(rowAt(added.config, [1, 1])).toEqual({ target: 'qty', expression: 'quantity' });
  });

  it('maps a dropped field: a new row for a new target, the expression replaced for a mapped one', () => {
    const created = mapToTarget(config, [], 'email', '`e-mail`');
    expect(created.path).toEqual([2]);
    expect(rowAt(created.config, [2])).toEqual({ target: 'email', expression: '`e-mail`' });
    const replaced = mapToTarget({ fields: [{ target: 'name', expression: 'x', default: 'n/a' }] }, [], 'name', 'y');
    expect(replaced.config.fields).toEqual([{ target: 'name', expression: 'y', default: 'n/a' }]);
  });

  it("writes a dragged field's path, relative to the lines' element inside lines", () => {
    expect(sourceExpression({ path: ['address', 'zip code'] })).toBe('address.`zip code`');
    expect(sourceExpression({ path: ['orderLines', 'sku'] }, ['orderLines'])).toBe('sku');
    expect(sourceExpression({ path: ['customer', 'no'] }, ['orderLines'])).toBe('customer.no');
    expect(linesPathOf({ expression: 'doc.lines' })).toEqual(['doc', 'lines']);
    expect(linesPathOf({ expression: 'lines[qty > 0]' })).toBeUndefined();
  });

  it('finds required fields left unmapped and rows the catalog does not know', () => {
    const fields = [
      { name: 'name', type: 'string' as const, required: true },
      { name: 'email', type: 'string' as const, required: true },
      { name: 'phone', type: 'string' as const },
      { name: 'city', type: 'string' as const, required: true },
    ];
    const withDefault = { fields: [...config.fields, { target: 'city', expression: '', default: 'Ghent' }] };
    expect(unmappedRequired(fields, withDefault)).toEqual(['email']);
    expect(customRows(fields, config).map((r) => r.index)).toEqual([1]);
  });
});
