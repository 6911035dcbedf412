/**
 * Micro-benchmark of the engine's map and filter hot paths (not a test; part of `npm run bench`):
 *   npx tsx core/mapping/bench-mapping.ts [records]
 * Builds the records first, then times, in batches of 1,000 as the engine runs them:
 * 1. the engine benchmark's map + filter (bench-workload.ts);
 * 2. issue 7's mapping — 10 fields incl. 2 expressions and 1 value map — beside a hand-written loop doing the same
 *    work (same output records; its outputs are compared with the map's before timing). Target: ≥ 200,000 rec/s.
 * Prints records/s per round and the medians of rounds 3-7 (the first rounds include JIT warm-up), over wall time and
 * over this process's CPU time (steadier while other work shares the machine).
 */
import { isDeepStrictEqual } from 'node:util';
import type { FlowRecord, RecordData } from '../engine/record.js';
import {
  benchCategoryCodes,
  benchCategoryMap,
  benchFilterExpression,
  benchMapConfig,
  valueMapBenchMapConfig,
} from './bench-workload.js';
import { compileFilter } from './filter-node.js';
import { compileMap } from './map-node.js';

const count = Number(process.argv[2] ?? 1_000_000);
const ROUNDS = 7;
const TARGET = 200_000;

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

const batchSize = 1000;
const records = buildRecords(count);
const batches: FlowRecord[][] = [];
for (let b = 0; b < records.length; b += batchSize) batches.push(records.slice(b, b + batchSize));

const failHard = (_r: FlowRecord, error: string) => {
  throw new Error(error);
};

interface Round {
  ms: number;
  cpuMs: number;
  note: string;
}

interface Rates {
  /** Median records/s of rounds 3-7 over wall time. */
  wall: number;
  /** The same over this process's CPU time: steadier when other work shares the machine. */
  cpu: number;
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Times `work` over all batches, `ROUNDS` times; the first two rounds are JIT warm-up and not counted. */
async function measure(label: string, work: () => Promise<string>): Promise<Rates> {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const note = await work();
    const used = process.cpuUsage(cpuStart);
    const r: Round = { ms: performance.now() - start, cpuMs: (used.user + used.system) / 1000, note };
    const perSecond = (records.length / r.ms) * 1000;
    if (round > 2) {
      wall.push(perSecond);
      cpu.push((records.length / r.cpuMs) * 1000);
    }
    console.log(
      `${label} round ${round}: ${format(records.length)} records${r.note} in ${r.ms.toFixed(0)} ms ` +
        `(${r.cpuMs.toFixed(0)} ms CPU) → ${format(perSecond)} records/s`,
    );
  }
  return { wall: median(wall), cpu: median(cpu) };
}

const format = (n: number) => Math.round(n).toLocaleString('en-US');

// 1. The engine benchmark's map + filter, chained as the engine chains the two nodes.
const map = compileMap(benchMapConfig);
const filter = compileFilter({ expression: benchFilterExpression });
const mapFilterRate = await measure('map + filter', async () => {
  let passed = 0;
  let sawAsync = false;
  const onPass = () => {
    passed++;
  };
  const onReject = () => {};
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
  return `, ${format(passed)} passed${sawAsync ? ' (some records took the async JSONata path!)' : ''}`;
});

// 2. Issue 7: 10 fields with 2 expressions and a value map, against the same work written by hand.
const valueMapped = compileMap(valueMapBenchMapConfig, undefined, {
  valueMaps: new Map([[benchCategoryMap.id, benchCategoryMap]]),
});
const codes = new Map<unknown, string>(benchCategoryCodes);

/** What a person would write for this mapping: direct property reads, `+`, a ternary, one Map lookup. */
function handWritten(batch: readonly FlowRecord[], emit: (r: FlowRecord) => void): void {
  for (let i = 0; i < batch.length; i++) {
    const r = batch[i]!;
    const d = r.data as {
      id: number;
      sku: string;
      name: string;
      description: string;
      price: number;
      cost: number;
      qty: number;
      category: string;
    };
    const categoryCode = codes.get(d.category);
    if (categoryCode === undefined) throw new Error(`categoryCode: value "${d.category}" is not in value map`);
    const data: RecordData = {
      number: d.id,
      sku: d.sku,
      displayName: d.name,
      description: d.description,
      unitPrice: d.price,
      unitCost: d.cost,
      inventory: d.qty,
      label: `${d.sku} – ${d.name}`,
      availability: d.qty > 0 ? 'in stock' : 'sold out',
      categoryCode,
    };
    emit({ data, source: r.source, lineage: r.lineage });
  }
}

// The two must do the same work: compare their outputs once, before timing.
for (const batch of batches.slice(0, 5)) {
  const a: FlowRecord[] = [];
  const b: FlowRecord[] = [];
  if (valueMapped.run(batch, (r) => a.push(r), failHard)) throw new Error('the mapping left the fast path');
  handWritten(batch, (r) => b.push(r));
  if (!isDeepStrictEqual(a, b)) throw new Error('the hand-written loop and the mapping disagree');
}

let sink = 0;
const valueMapRate = await measure('10 fields, 2 expressions, 1 value map', async () => {
  let sawAsync = false;
  for (const batch of batches) {
    const out: FlowRecord[] = [];
    const r = valueMapped.run(batch, (o) => out.push(o), failHard);
    if (r) {
      sawAsync = true;
      await r;
    }
    sink += out.length;
  }
  return sawAsync ? ' (some records took the async JSONata path!)' : '';
});
const handRate = await measure('hand-written loop, same work', async () => {
  for (const batch of batches) {
    const out: FlowRecord[] = [];
    handWritten(batch, (o) => out.push(o));
    sink += out.length;
  }
  return '';
});

const both = (r: Rates) => `${format(r.wall)} records/s (${format(r.cpu)} per CPU-second)`;
console.log(`\nmap + filter (engine bench workload): median ${both(mapFilterRate)}`);
console.log(
  `10-field mapping with 2 expressions and 1 value map: median ${both(valueMapRate)}; ` +
    `hand-written loop ${both(handRate)}; mapping / hand-written ${(valueMapRate.cpu / handRate.cpu).toFixed(2)}× ` +
    `(CPU); target ≥ ${format(TARGET)} records/s → ${valueMapRate.wall >= TARGET ? 'OK' : 'MISSED'}` +
    (sink === 0 ? ' (nothing mapped!)' : ''),
);
