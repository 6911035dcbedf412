/**
 * Micro-benchmark of the engine's map + filter hot path (not a test):
 *   npx tsx core/mapping/bench-mapping.ts [records]
 * Builds the records first, then times map + filter alone and prints records/s.
 */
import type { FlowRecord } from '../engine/record.js';
import { benchFilterExpression, benchMapConfig } from './bench-workload.js';
import { compileFilter } from './filter-node.js';
import { compileMap } from './map-node.js';

const count = Number(process.argv[2] ?? 1_000_000);

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
const batchSize = 1000;
const records = buildRecords(count);
const batches: FlowRecord[][] = [];
for (let b = 0; b < records.length; b += batchSize) batches.push(records.slice(b, b + batchSize));

const failHard = (_r: FlowRecord, error: string) => {
  throw new Error(error);
};

/** Map then filter each batch, the way the engine chains the two nodes. */
async function runOnce(): Promise<{ passed: number; ms: number; cpuMs: number; sawAsync: boolean }> {
  let passed = 0;
  let sawAsync = false;
  const onPass = () => {
    passed++;
  };
  const onReject = () => {};
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  for (const batch of batches) {
    const mapped: FlowRecord[] = [];
    const r1 = map.run(batch, (r) => mapped.push(r), failHard);
    if (r1) {
      sawAsync = true;
      await r1;
    }
    const r2 = filter.run(mapped, onPass, onReject, failHard);
    if (r2) {
      sawAsync = true;
      await r2;
    }
  }
  const cpu = process.cpuUsage(cpuStart);
  return { passed, ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000, sawAsync };
}

const format = (n: number) => Math.round(n).toLocaleString('en-US');
const rates: number[] = [];
for (let round = 1; round <= 7; round++) {
  const { passed, ms, cpuMs, sawAsync } = await runOnce();
  const perSecond = (records.length / ms) * 1000;
  if (round > 2) rates.push(perSecond); // the first rounds include JIT warm-up
  console.log(
    `round ${round}: ${format(records.length)} records, ${format(passed)} passed, ${ms.toFixed(0)} ms ` +
      `(${cpuMs.toFixed(0)} ms CPU, all threads) → ` +
      `${format(perSecond)} records/s${sawAsync ? ' (some records took the async JSONata path!)' : ''}`,
  );
}
rates.sort((a, b) => a - b);
console.log(
  `map + filter: median ${format(rates[Math.floor(rates.length / 2)]!)} records/s, best ${format(rates.at(-1)!)} ` +
    `records/s (rounds 3-7)`,
);
