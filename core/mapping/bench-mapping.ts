/**
 * Micro-benchmark of the engine's map + filter hot path (not a test):
 *   npx tsx core/mapping/bench-mapping.ts [records]
 * Builds the records first, then times map + filter alone and prints records/s.
 */
import type { FlowRecord } from '../engine/record.js';
import type { MapConfig } from '../model/mapping.js';
import { compileFilter } from './filter-node.js';
import { compileMap } from './map-node.js';

const count = Number(process.argv[2] ?? 1_000_000);

export const benchMapConfig: MapConfig = {
  fields: [
    { target: 'number', expression: 'id' },
    { target: 'sku', expression: 'sku' },
    { target: 'displayName', expression: 'name' },
    { target: 'description', expression: 'description' },
    { target: 'unitPrice', expression: 'price' },
    { target: 'unitCost', expression: 'cost' },
    { target: 'inventory', expression: 'qty' },
    { target: 'category', expression: 'category' },
    { target: 'margin', expression: '$round(price - cost, 2)' },
    { target: 'label', expression: 'sku & " " & $uppercase(name)' },
  ],
};
export const benchFilterExpression = '$source.status = "active"';

function buildRecords(n: number): FlowRecord[] {
  const categories = ['tools', 'garden', 'kitchen', 'toys', 'books'];
  const records: FlowRecord[] = new Array<FlowRecord>(n);
  for (let i = 0; i < n; i++) {
    const price = Math.round((5 + ((i * 7919) % 50000) / 100) * 100) / 100;
    const data = {
      id: i + 1,
      sku: `SKU-${String(i).padStart(7, '0')}`,
      name: `Product ${i}`,
      description: `Description of product ${i}`,
      price,
      cost: Math.round(price * 0.6 * 100) / 100,
      qty: i % 500,
      category: categories[i % categories.length],
      status: i % 10 === 0 ? 'inactive' : 'active',
    };
    records[i] = { data, source: data, lineage: { node: 'src', key: String(i + 1), page: Math.floor(i / 1000) } };
  }
  return records;
}

const map = compileMap(benchMapConfig);
const filter = compileFilter({ expression: benchFilterExpression });
const records = buildRecords(count);
const batchSize = 1000;

async function runOnce(): Promise<{ passed: number; mapped: number; ms: number; async: boolean }> {
  let passed = 0;
  let mapped = 0;
  let sawAsync = false;
  const start = performance.now();
  for (let b = 0; b < records.length; b += batchSize) {
    const batch = records.slice(b, b + batchSize);
    const out: FlowRecord[] = [];
    const r1 = map.run(
      batch,
      (r) => out.push(r),
      (_r, e) => {
        throw new Error(e);
      },
    );
    if (r1) {
      sawAsync = true;
      await r1;
    }
    mapped += out.length;
    const r2 = filter.run(
      out,
      () => passed++,
      () => {},
      (_r, e) => {
        throw new Error(e);
      },
    );
    if (r2) {
      sawAsync = true;
      await r2;
    }
  }
  return { passed, mapped, ms: performance.now() - start, async: sawAsync };
}

for (let round = 0; round < 5; round++) {
  const { passed, mapped, ms, async } = await runOnce();
  const perSecond = Math.round((records.length / ms) * 1000);
  console.log(
    `round ${round + 1}: ${records.length} records, ${mapped} mapped, ${passed} passed in ${ms.toFixed(0)} ms ` +
      `→ ${perSecond.toLocaleString('en-US')} records/s${async ? ' (some records took the async JSONata path!)' : ''}`,
  );
}
