import { describe, expect, it } from 'vitest';
import type { FlowRecord, RecordData } from '../engine/record.js';
import { ValidationError } from '../model/validation-error.js';
import { compileFilter } from './filter-node.js';

function rec(data: RecordData, source: RecordData = data, key = '1'): FlowRecord {
  return { data, source, lineage: { node: 'src', key, page: 0 } };
}

function runFilter(expression: string, records: FlowRecord[]) {
  const log: string[] = [];
  const reasons: string[] = [];
  const errors: string[] = [];
  const returned = compileFilter({ expression }).run(
    records,
    (r) => log.push(`pass:${r.lineage.key}`),
    (r, reason) => {
      log.push(`reject:${r.lineage.key}`);
      reasons.push(reason);
    },
    (r, error) => {
      log.push(`fail:${r.lineage.key}`);
      errors.push(error);
    },
  );
  return { log, reasons, errors, returned };
}

describe('compileFilter', () => {
  it('passes records whose expression is true and rejects the others, synchronously', () => {
    const records = [
      rec({ id: 1 }, { status: 'active' }, '1'),
      rec({ id: 2 }, { status: 'inactive' }, '2'),
      rec({ id: 3 }, {}, '3'),
    ];
    const r = runFilter('$source.status = "active"', records);
    expect(r.returned).toBeUndefined();
    expect(r.log).toEqual(['pass:1', 'reject:2', 'reject:3']);
    expect(r.reasons).toEqual([
      'filter: $source.status = "active" is false',
      'filter: $source.status = "active" is false',
    ]);
  });

  it('casts non-boolean results like JSONata predicates ($boolean)', async () => {
    const values: [unknown, boolean][] = [
      [true, true],
      [false, false],
      [undefined, false],
      [null, false],
      ['', false],
      ['x', true],
      [0, false],
      [2, true],
      [{}, false],
      [{ a: 1 }, true],
      [[], false],
      [[0, ''], false],
      [[0, 'x'], true],
    ];
    const records = values.map(([v], i) => rec(v === undefined ? {} : { v }, undefined, String(i)));
    const r = runFilter('v', records);
    await r.returned;
    expect(r.log).toEqual(values.map(([, ok], i) => `${ok ? 'pass' : 'reject'}:${i}`));
  });

  it('fails records whose expression throws, keeping the order with async fallbacks', async () => {
    const records = [
      rec({ price: 5 }, undefined, '1'),
      rec({ price: 'x' }, undefined, '2'),
      rec({ price: [20, 1] }, undefined, '3'),
      rec({ price: 50 }, undefined, '4'),
      rec({ price: 1 }, undefined, '5'),
    ];
    const r = runFilter('price > 10', records);
    expect(r.returned).toBeInstanceOf(Promise);
    await r.returned;
    expect(r.log).toEqual(['reject:1', 'fail:2', 'fail:3', 'pass:4', 'reject:5']);
    expect(r.errors[0]).toBe(
      'filter: price > 10: T2009: The values "x" and 10 either side of operator ">" must be of the same data type',
    );
    expect(r.errors[1]).toMatch(/^filter: price > 10: T2010: /);
  });

  it('fails a record whose result cannot be cast (infinite number)', async () => {
    const r = runFilter('v', [rec({ v: Infinity }, undefined, '1')]);
    await r.returned;
    expect(r.log).toEqual(['fail:1']);
    expect(r.errors[0]).toBe('filter: v: D1001: Number out of range: null');
  });

  it('evaluates expressions outside the fast subset with JSONata', async () => {
    const r = runFilter('$count(items) > 1', [
      rec({ items: [1, 2] }, undefined, 'a'),
      rec({ items: [1] }, undefined, 'b'),
    ]);
    await r.returned;
    expect(r.log).toEqual(['pass:a', 'reject:b']);
  });

  it('reports compile errors with the JSON path of the expression', () => {
    let error: unknown;
    try {
      compileFilter({ expression: 'status = ' }, { file: 'flows/f.flow.json', path: 'nodes[2].config' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems).toEqual([
      {
        file: 'flows/f.flow.json',
        path: 'nodes[2].config.expression',
        message: expect.stringMatching(/^S0\d{3}: .* \(at position \d+\)$/) as unknown,
      },
    ]);
  });
});
