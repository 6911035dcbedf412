import { describe, expect, it } from 'vitest';
import type { FlowRecord, RecordData } from '../engine/record.js';
import type { MapConfig, ValueMapFile } from '../model/mapping.js';
import { ValidationError } from '../model/validation-error.js';
import { compileMap, type MapOptions } from './map-node.js';

function rec(data: RecordData, key = '1', source: RecordData = data): FlowRecord {
  return { data, source, lineage: { node: 'src', key, page: 0 } };
}

interface Result {
  out: FlowRecord[];
  failed: { key: string; error: string }[];
  order: string[];
  sync: boolean;
}

async function run(config: MapConfig, records: FlowRecord[], options: MapOptions = { valueMaps }): Promise<Result> {
  const r: Result = { out: [], failed: [], order: [], sync: false };
  const returned = compileMap(config, undefined, options).run(
    records,
    (o) => {
      r.out.push(o);
      r.order.push(`ok:${o.lineage.key}`);
    },
    (record, error) => {
      r.failed.push({ key: record.lineage.key, error });
      r.order.push(`fail:${record.lineage.key}`);
    },
  );
  r.sync = returned === undefined;
  await returned;
  return r;
}

function problemsOf(config: MapConfig, options: MapOptions = { valueMaps }): { path: string; message: string }[] {
  try {
    compileMap(config, { file: 'flows/f.flow.json', path: 'nodes[1].config' }, options);
  } catch (err) {
    if (err instanceof ValidationError) return err.problems.map(({ path, message }) => ({ path, message }));
    throw err;
  }
  return [];
}

const vm = (id: string, name: string, entries: [string, unknown][], fallback: ValueMapFile['fallback']) =>
  [
    id,
    {
      schemaVersion: 1,
      id,
      name,
      entries: entries.map(([from, to]) => ({ from, to: to as never })),
      fallback,
    } satisfies ValueMapFile,
  ] as const;

const valueMaps = new Map<string, ValueMapFile>([
  vm(
    'terms',
    'Payment terms',
    [
      ['14 DAYS', '14D'],
      ['30', '30D'],
    ],
    { kind: 'fail' },
  ),
  vm('ship', 'Shipping methods', [['DHL', 'DHLEXPRESS']], { kind: 'keep' }),
  vm('units', 'Units', [['PCS', 'EA']], { kind: 'value', value: 'EA' }),
  vm('status', 'Status', [['', 'Active']], { kind: 'fail' }),
]);

describe('value maps in compileMap', () => {
  it('translates after the expression and before the default, synchronously', async () => {
    const r = await run(
      {
        fields: [
          { target: 'terms', expression: 'paymentTerms', valueMap: 'terms', default: 'COD' },
          { target: 'ship', expression: '$uppercase(carrier)', valueMap: 'ship' },
          { target: 'unit', expression: 'uom', valueMap: 'units' },
          { target: 'status', expression: 'blocked', valueMap: 'status' },
        ],
      },
      [
        rec({ paymentTerms: 30, carrier: 'dhl', uom: 'PCS', blocked: '' }, '1'),
        rec({ carrier: 'ups', uom: 'BOX' }, '2'),
      ],
    );
    expect(r.sync).toBe(true);
    expect(r.out.map((o) => o.data)).toEqual([
      { terms: '30D', ship: 'DHLEXPRESS', unit: 'EA', status: 'Active' },
      { terms: 'COD', ship: 'UPS', unit: 'EA' },
    ]);
  });

  it('fails a record whose value is not in a "fail" map, naming target, value and map; the others go on', async () => {
    const r = await run({ fields: [{ target: 'terms', expression: 'paymentTerms', valueMap: 'terms' }] }, [
      rec({ paymentTerms: 'Net 45' }, '1'),
      rec({ paymentTerms: '14 DAYS' }, '2'),
    ]);
    expect(r.sync).toBe(true);
    expect(r.order).toEqual(['fail:1', 'ok:2']);
    expect(r.failed[0]!.error).toBe('terms: value "Net 45" is not in value map "Payment terms"');
  });

  it('translates values of expressions that need the evaluator, and fails them the same way', async () => {
    const r = await run(
      { fields: [{ target: 'terms', expression: '$string($count(items) * 15)', valueMap: 'terms' }] },
      [rec({ items: [1, 2] }, '1'), rec({ items: [1] }, '2')],
    );
    expect(r.sync).toBe(false);
    expect(r.order).toEqual(['ok:1', 'fail:2']);
    expect(r.out[0]!.data).toEqual({ terms: '30D' });
    expect(r.failed[0]!.error).toBe('terms: value "15" is not in value map "Payment terms"');
  });

  it('reports an unknown value map at the field, listing the known ones', () => {
    expect(problemsOf({ fields: [{ target: 'a', expression: 'a', valueMap: 'nope' }] })).toEqual([
      {
        path: 'nodes[1].config.fields[0].valueMap',
        message: 'unknown value map "nope" (expected one of ship, status, terms, units)',
      },
    ]);
    expect(problemsOf({ fields: [{ target: 'a', expression: 'a', valueMap: 'nope' }] }, {})).toEqual([
      {
        path: 'nodes[1].config.fields[0].valueMap',
        message: 'unknown value map "nope": the workspace has no value maps',
      },
    ]);
  });
});

describe('lines in compileMap', () => {
  const orderMapping: MapConfig = {
    fields: [
      { target: 'number', expression: 'orderNo' },
      {
        target: 'lines',
        expression: 'items',
        fields: [
          { target: 'sku', expression: 'sku' },
          { target: 'qty', expression: 'quantity', default: 1 },
          { target: 'unit', expression: 'uom', valueMap: 'units' },
          { target: 'price.amount', expression: 'price' },
          { target: 'customer', expression: '$source.customer' },
        ],
      },
    ],
  };

  it('maps each element with the line fields; $source stays the source record', async () => {
    const r = await run(orderMapping, [
      rec(
        {
          orderNo: 'SO1',
          items: [
            { sku: 'A', quantity: 2, uom: 'PCS', price: 9.5 },
            { sku: 'B', uom: 'KG' },
          ],
        },
        '1',
        { customer: 'C1' },
      ),
    ]);
    expect(r.sync).toBe(true);
    expect(r.out[0]!.data).toEqual({
      number: 'SO1',
      lines: [
        { sku: 'A', qty: 2, unit: 'EA', price: { amount: 9.5 }, customer: 'C1' },
        { sku: 'B', qty: 1, unit: 'EA', customer: 'C1' },
      ],
    });
  });

  it('a single object is one line; nothing, null or "" leaves the target out unless it has a default', async () => {
    const r = await run(orderMapping, [
      rec({ orderNo: 'SO2', items: { sku: 'A' } }, '1'),
      rec({ orderNo: 'SO3' }, '2'),
      rec({ orderNo: 'SO4', items: null }, '3'),
      rec({ orderNo: 'SO5', items: [] }, '4'),
    ]);
    expect(r.out.map((o) => o.data)).toEqual([
      { number: 'SO2', lines: [{ sku: 'A', qty: 1 }] },
      { number: 'SO3' },
      { number: 'SO4' },
      { number: 'SO5', lines: [] },
    ]);
    const withDefault: MapConfig = {
      fields: [{ ...orderMapping.fields[1]!, default: [] }],
    };
    const d = await run(withDefault, [rec({}, '1'), rec({}, '2')]);
    expect(d.out.map((o) => o.data)).toEqual([{ lines: [] }, { lines: [] }]);
    expect(d.out[0]!.data.lines).not.toBe(d.out[1]!.data.lines);
  });

  it('names the line in failures: value maps (sync) and expression errors (evaluator)', async () => {
    const strict: MapConfig = {
      fields: [
        {
          target: 'lines',
          expression: 'items',
          fields: [
            { target: 'qty', expression: '$number(q)' },
            { target: 'terms', expression: 't', valueMap: 'terms' },
          ],
        },
      ],
    };
    const r = await run(strict, [
      rec(
        {
          items: [
            { q: '1', t: '30' },
            { q: '2', t: 'Net 45' },
          ],
        },
        '1',
      ),
      rec({ items: [{ q: '1' }, { q: '2' }, { q: 'x' }] }, '2'),
      rec({ items: [{ q: '3', t: '14 DAYS' }] }, '3'),
    ]);
    expect(r.order).toEqual(['fail:1', 'fail:2', 'ok:3']);
    expect(r.failed[0]!.error).toBe('lines[1].terms: value "Net 45" is not in value map "Payment terms"');
    expect(r.failed[1]!.error).toMatch(/^lines\[2\]\.qty: \$number\(q\): D3030: /);
    expect(r.out[0]!.data).toEqual({ lines: [{ qty: 3, terms: '14D' }] });
  });

  it('maps lines whose fields need the evaluator, keeping record order', async () => {
    const config: MapConfig = {
      fields: [
        { target: 'id', expression: 'id' },
        { target: 'lines', expression: 'items', fields: [{ target: 'total', expression: '$sum(parts.n)' }] },
      ],
    };
    const r = await run(config, [
      rec({ id: 1, items: [{ parts: [{ n: 1 }, { n: 2 }] }] }, '1'),
      rec({ id: 2 }, '2'),
      rec({ id: 3, items: [{ parts: { n: 5 } }, {}] }, '3'),
    ]);
    expect(r.order).toEqual(['ok:1', 'ok:2', 'ok:3']);
    expect(r.out.map((o) => o.data)).toEqual([
      { id: 1, lines: [{ total: 3 }] },
      { id: 2 },
      { id: 3, lines: [{ total: 5 }, {}] }, // $sum of nothing is nothing
    ]);
  });

  it('nests lines in lines, and maps elements that are not objects ($ is the element)', async () => {
    const config: MapConfig = {
      fields: [
        {
          target: 'orders',
          expression: 'orders',
          fields: [
            { target: 'no', expression: 'no' },
            {
              target: 'lines',
              expression: 'lines',
              fields: [{ target: 'unit', expression: 'u', valueMap: 'terms' }],
            },
          ],
        },
        { target: 'tags', expression: '$split(tagList, ",")', fields: [{ target: 'name', expression: '$trim($)' }] },
      ],
    };
    const r = await run(config, [
      rec({ orders: [{ no: 1, lines: [{ u: '30' }] }], tagList: 'a, b' }, '1'),
      rec({ orders: [{ no: 1 }, { no: 2, lines: [{ u: '30' }, { u: '?' }] }] }, '2'),
    ]);
    expect(r.out[0]!.data).toEqual({
      orders: [{ no: 1, lines: [{ unit: '30D' }] }],
      tags: [{ name: 'a' }, { name: 'b' }],
    });
    expect(r.failed[0]!.error).toBe('orders[1].lines[1].unit: value "?" is not in value map "Payment terms"');
  });

  it('create-only: whole lines yes, a field of a line no; value maps do not go on lines', () => {
    const map = compileMap(
      {
        fields: [
          { target: 'lines', expression: 'items', apply: 'createOnly', fields: [{ target: 'a', expression: 'a' }] },
        ],
      },
      undefined,
      { valueMaps },
    );
    const out: FlowRecord[] = [];
    void map.run(
      [rec({ items: [{ a: 1 }] })],
      (o) => out.push(o),
      () => {},
    );
    expect(out[0]!.createOnly).toEqual(['lines']);

    expect(
      problemsOf({
        fields: [
          {
            target: 'lines',
            expression: 'items',
            valueMap: 'terms',
            fields: [
              { target: 'a', expression: 'a', apply: 'createOnly' },
              { target: 'a', expression: 'b' },
              { target: 'c', expression: 'c', valueMap: 'missing' },
            ],
          },
          { target: 'empty', expression: 'x', fields: [] },
        ],
      }),
    ).toEqual([
      {
        path: 'nodes[1].config.fields[0].valueMap',
        message: 'lines (fields) are not translated: put the value map on a field of the lines',
      },
      {
        path: 'nodes[1].config.fields[0].fields[0].apply',
        message: '"createOnly" applies to top-level fields and whole lines, not to a field of a line',
      },
      { path: 'nodes[1].config.fields[0].fields[1].target', message: 'duplicate target "a" (also fields[0])' },
      {
        path: 'nodes[1].config.fields[0].fields[2].valueMap',
        message: 'unknown value map "missing" (expected one of ship, status, terms, units)',
      },
      { path: 'nodes[1].config.fields[1].fields', message: 'expected at least one field for the lines' },
    ]);
  });
});
