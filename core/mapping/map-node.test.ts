import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import type { FlowRecord, RecordData } from '../engine/record.js';
import type { MapConfig } from '../model/mapping.js';
import { ValidationError } from '../model/validation-error.js';
import { benchFilterExpression, benchMapConfig } from './bench-workload.js';
import { compileExpression } from './compile-expression.js';
import { compileFilter } from './filter-node.js';
import { compileMap } from './map-node.js';

function rec(data: RecordData, source: RecordData = data, key = '1'): FlowRecord {
  return { data, source, lineage: { node: 'src', key, page: 0 } };
}

interface Collected {
  out: FlowRecord[];
  failed: { record: FlowRecord; error: string }[];
  order: string[];
  returned: void | Promise<void>;
}

function runMap(config: MapConfig, records: FlowRecord[]): Collected {
  const c: Collected = { out: [], failed: [], order: [], returned: undefined };
  c.returned = compileMap(config).run(
    records,
    (r) => {
      c.out.push(r);
      c.order.push(`ok:${r.lineage.key}`);
    },
    (record, error) => {
      c.failed.push({ record, error });
      c.order.push(`fail:${record.lineage.key}`);
    },
  );
  return c;
}

describe('compileMap', () => {
  it('maps fields in order, synchronously, keeping source and lineage', () => {
    const input = rec({ id: 7, name: 'box', price: 12.5, cost: 10.25 }, { status: 'active' });
    const c = runMap(
      {
        fields: [
          { target: 'number', expression: 'id' },
          { target: 'label', expression: '$uppercase(name) & " #" & id' },
          { target: 'margin', expression: '$round(price - cost, 2)' },
          { target: 'status', expression: '$source.status' },
        ],
      },
      [input],
    );
    expect(c.returned).toBeUndefined();
    expect(c.out).toHaveLength(1);
    const [out] = c.out;
    expect(out!.data).toEqual({ number: 7, label: 'BOX #7', margin: 2.25, status: 'active' });
    expect(Object.keys(out!.data)).toEqual(['number', 'label', 'margin', 'status']);
    expect(out!.source).toBe(input.source);
    expect(out!.lineage).toBe(input.lineage);
    expect('createOnly' in out!).toBe(false);
  });

  it('applies defaults when the value is undefined, null or "" (not 0 or false)', () => {
    const fields = ['a', 'b', 'c', 'd', 'e', 'f'].map((f) => ({ target: f, expression: f, default: 'dflt' }));
    const c = runMap({ fields: [...fields, { target: 'g', expression: 'g', default: { x: [1] } }] }, [
      rec({ b: null, c: '', d: 0, e: false, f: 'kept' }),
      rec({}),
    ]);
    expect(c.out[0]!.data).toEqual({ a: 'dflt', b: 'dflt', c: 'dflt', d: 0, e: false, f: 'kept', g: { x: [1] } });
    // object defaults are copied per record, never shared
    expect(c.out[0]!.data.g).not.toBe(c.out[1]!.data.g);
  });

  it('omits fields whose value is undefined and that have no default', () => {
    const c = runMap(
      {
        fields: [
          { target: 'a', expression: 'a' },
          { target: 'b', expression: 'missing' },
          { target: 'c', expression: 'c' },
        ],
      },
      [rec({ a: 1, c: null }), rec({ a: [1, 2], c: { deep: true } })],
    );
    expect(c.out[0]!.data).toStrictEqual({ a: 1, c: null });
    expect(Object.keys(c.out[0]!.data)).toEqual(['a', 'c']);
    expect(c.out[1]!.data).toStrictEqual({ a: [1, 2], c: { deep: true } });
  });

  it('builds nested objects for dotted targets', () => {
    const c = runMap(
      {
        fields: [
          { target: 'address.city', expression: 'city' },
          { target: 'address.geo.zip', expression: 'zip' },
          { target: 'name', expression: 'name' },
          { target: 'other.x', expression: 'missing' },
        ],
      },
      [rec({ city: 'Oslo', zip: '0150', name: 'n' }), rec({ name: 'n' })],
    );
    expect(c.out[0]!.data).toStrictEqual({ address: { city: 'Oslo', geo: { zip: '0150' } }, name: 'n' });
    expect(c.out[1]!.data).toStrictEqual({ name: 'n' });
  });

  it('lists createOnly targets in one shared array', () => {
    const map = compileMap({
      fields: [
        { target: 'a', expression: 'a', apply: 'createOnly' },
        { target: 'b', expression: 'b', apply: 'createAndUpdate' },
        { target: 'c.d', expression: 'a', apply: 'createOnly' },
      ],
    });
    const out: FlowRecord[] = [];
    map.run(
      [rec({ a: 1, b: 2 }), rec({ a: 3 })],
      (r) => out.push(r),
      () => {},
    );
    expect(out[0]!.createOnly).toEqual(['a', 'c.d']);
    expect(out[1]!.createOnly).toBe(out[0]!.createOnly);
    expect(Object.isFrozen(out[0]!.createOnly)).toBe(true);
  });

  it('keepUnmapped starts from a shallow copy and never mutates the input', () => {
    const data = { id: 1, name: 'n', address: { city: 'Oslo', zip: '0150' }, drop: 'x', extra: true };
    const snapshot = structuredClone(data);
    const c = runMap(
      {
        keepUnmapped: true,
        fields: [
          { target: 'name', expression: '$uppercase(name)' },
          { target: 'address.city', expression: '"Bergen"' },
          { target: 'address.zip', expression: 'nothing' },
          { target: 'drop', expression: 'nothing' },
          { target: 'label', expression: 'name & "!"' },
        ],
      },
      [rec(data)],
    );
    expect(c.out[0]!.data).toStrictEqual({ id: 1, name: 'N', address: { city: 'Bergen' }, extra: true, label: 'n!' });
    expect(data).toStrictEqual(snapshot);
  });

  it('fails a record with a message naming the target field and the expression', () => {
    const c = runMap({ fields: [{ target: 'margin', expression: '$round(price - cost, 2)' }] }, [
      rec({ price: 'abc', cost: 1 }, undefined, '1'),
      rec({ price: 3, cost: 1 }, undefined, '2'),
    ]);
    expect(c.returned).toBeInstanceOf(Promise);
    return (c.returned as Promise<void>).then(() => {
      expect(c.failed).toHaveLength(1);
      expect(c.failed[0]!.error).toBe(
        'margin: $round(price - cost, 2): T2001: The left side of the "-" operator must evaluate to a number',
      );
      expect(c.order).toEqual(['fail:1', 'ok:2']);
    });
  });

  it('keeps input order when some records need the (async) JSONata evaluator', async () => {
    const records: FlowRecord[] = [];
    for (let i = 0; i < 30; i++) {
      // every third record holds an array, which sends it to JSONata; every fifth fails
      const items = i % 3 === 0 ? [{ p: 1 }, { p: 2 }] : { p: i };
      records.push(rec({ items, n: i % 5 === 0 ? 'x' : i }, undefined, String(i)));
    }
    const c = runMap(
      {
        fields: [
          { target: 'p', expression: 'items.p' },
          { target: 'n', expression: 'n + 1' },
        ],
      },
      records,
    );
    expect(c.returned).toBeInstanceOf(Promise);
    await c.returned;
    expect(c.order).toEqual(records.map((r, i) => `${i % 5 === 0 ? 'fail' : 'ok'}:${r.lineage.key}`));
    const third = c.out.find((r) => r.lineage.key === '3')!;
    expect(Array.from(third.data.p as number[])).toEqual([1, 2]);
    expect(c.out.find((r) => r.lineage.key === '4')!.data).toEqual({ p: 4, n: 5 });
  });

  it('returns void when every record took the sync path', () => {
    const c = runMap({ fields: [{ target: 'a', expression: 'a * 2' }] }, [rec({ a: 1 }), rec({ a: 2 })]);
    expect(c.returned).toBeUndefined();
    expect(c.out.map((r) => r.data.a)).toEqual([2, 4]);
  });

  it('evaluates expressions the fast path does not support with JSONata', async () => {
    const c = runMap({ fields: [{ target: 'total', expression: '$sum(items.price)' }] }, [
      rec({ items: [{ price: 1 }, { price: 2.5 }] }),
    ]);
    await c.returned;
    expect(c.out[0]!.data).toEqual({ total: 3.5 });
  });

  it('handles records whose data or source is not a plain object', async () => {
    const odd = Object.assign(Object.create({ inherited: 1 }) as RecordData, { a: 2 });
    const c = runMap(
      {
        fields: [
          { target: 'a', expression: 'a' },
          { target: 'inherited', expression: 'inherited' },
          { target: 's', expression: '$source.a' },
        ],
      },
      [rec(odd, odd)],
    );
    await c.returned;
    expect(c.out[0]!.data).toStrictEqual({ a: 2, s: 2 });
  });

  it('reports compile errors with the JSON path of the offending field', () => {
    const config: MapConfig = {
      fields: [
        { target: 'a', expression: 'a' },
        { target: 'b', expression: '(price + ' },
        { target: 'a', expression: 'b' },
        { target: ' ', expression: 'c' },
        { target: 'x.', expression: 'c' },
        { target: 'a.b', expression: 'c' },
      ],
    };
    let error: unknown;
    try {
      compileMap(config, { file: 'flows/orders.flow.json', path: 'nodes[1].config' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const problems = (error as ValidationError).problems;
    expect(problems.map((p) => p.path)).toEqual([
      'nodes[1].config.fields[1].expression',
      'nodes[1].config.fields[2].target',
      'nodes[1].config.fields[3].target',
      'nodes[1].config.fields[4].target',
      'nodes[1].config.fields[5].target',
    ]);
    expect(problems.every((p) => p.file === 'flows/orders.flow.json')).toBe(true);
    expect(problems[0]!.message).toBe('S0203: Expected ")" before end of expression (at position 9)');
    expect(problems[1]!.message).toBe('duplicate target "a" (also fields[0])');
    expect(problems[2]!.message).toBe('must not be empty');
    expect(problems[4]!.message).toBe('target "a.b" conflicts with "a" (fields[0])');
    expect((error as Error).message).toContain(
      'flows/orders.flow.json: nodes[1].config.fields[1].expression: S0203: Expected ")"',
    );
    expect(() => compileMap({ fields: [{ target: 'a', expression: '1 +' }] })).toThrow(/^fields\[0\]\.expression: S0/);
  });
});

describe('the benchmark workload', () => {
  it('is entirely on the fast path and agrees with JSONata', async () => {
    for (const field of benchMapConfig.fields) expect(compileExpression(field.expression).fast).toBe(true);
    expect(compileExpression(benchFilterExpression).fast).toBe(true);

    const records: FlowRecord[] = [];
    for (let i = 0; i < 300; i++) {
      const price = Math.round((5 + ((i * 7919) % 50000) / 100) * 100) / 100;
      const data = {
        id: i + 1,
        sku: `SKU-${i}`,
        name: `Product ${i}`,
        description: i % 7 === 0 ? '' : `About ${i}`,
        price,
        cost: Math.round(price * 0.6 * 100) / 100,
        qty: i % 50,
        category: i % 2 ? 'tools' : 'garden',
        status: i % 10 === 0 ? 'inactive' : 'active',
      };
      records.push(rec(data, data, String(i)));
    }
    const mapped: FlowRecord[] = [];
    expect(
      compileMap(benchMapConfig).run(
        records,
        (r) => mapped.push(r),
        () => expect.unreachable(),
      ),
    ).toBeUndefined();
    let passed = 0;
    let rejected = 0;
    expect(
      compileFilter({ expression: benchFilterExpression }).run(
        mapped,
        () => passed++,
        () => rejected++,
        () => expect.unreachable(),
      ),
    ).toBeUndefined();
    expect([passed, rejected]).toEqual([270, 30]);

    for (let i = 0; i < records.length; i++) {
      const expected: RecordData = {};
      for (const field of benchMapConfig.fields) {
        const v: unknown = await jsonata(field.expression).evaluate(records[i]!.data, { source: records[i]!.source });
        if (v !== undefined) expected[field.target] = v;
      }
      expect(mapped[i]!.data).toStrictEqual(expected);
    }
  });
});
