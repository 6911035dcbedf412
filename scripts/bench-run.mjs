// `npm run bench`: file → map → filter → file on 100,000 and 1,000,000 generated rows through the real `ferry run`
// CLI, against a raw hand-written loop on the same file. Prints records/s and peak RSS. Not part of `npm test`.
// Then the in-process mapping benchmark (core/mapping/bench-mapping.ts): map + filter, and issue 7's 10-field mapping
// with 2 expressions and a value map beside a hand-written loop (FERRY_BENCH_MAPPING_RECORDS, default 1,000,000;
// FERRY_BENCH_MAPPING=0 skips it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCsv } from './bench/generate.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const benchDir = join(root, '.bench');
const sizes = (process.env.FERRY_BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const rssReporter = join(root, 'scripts/bench/report-rss.mjs');
// For A/B comparisons: another build's bin/ferry.mjs, and skipping the raw loop.
const ferryBin = resolve(process.env.FERRY_BENCH_BIN ?? join(root, 'bin/ferry.mjs'));
const withRaw = process.env.FERRY_BENCH_RAW !== '0';

const mapFields = [
  ['number', 'id'],
  ['sku', 'sku'],
  ['displayName', 'name'],
  ['description', 'description'],
  ['unitPrice', 'price'],
  ['unitCost', 'cost'],
  ['inventory', 'qty'],
  ['category', 'category'],
  ['margin', '$round(price - cost, 2)'],
  ['label', 'sku & " " & $uppercase(name)'],
].map(([target, expression]) => ({ target, expression }));

function workspace(dir, csv) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'flows'), { recursive: true });
  writeFileSync(join(dir, 'ferry.workspace.json'), JSON.stringify({ schemaVersion: 1, id: 'bench', name: 'Bench' }));
  const node = (id, kind, type, x, config) => ({ id, kind, type, typeVersion: 1, position: { x, y: 0 }, config });
  const flow = {
    schemaVersion: 2,
    id: 'bench',
    name: 'Bench',
    nodes: [
      node('products', 'source', 'file', 0, {
        path: csv,
        key: 'id',
        types: { price: 'number', cost: 'number', qty: 'integer' },
      }),
      node('map', 'map', 'map', 200, { fields: mapFields }),
      node('active', 'filter', 'filter', 400, { expression: '$source.status = "active"' }),
      node('out', 'destination', 'file', 600, { path: 'out.csv' }),
    ],
    edges: [
      ['products', 'map'],
      ['map', 'active'],
      ['active', 'out'],
    ].map(([a, b]) => ({ from: { node: a, port: 'out' }, to: { node: b, port: 'in' } })),
  };
  writeFileSync(join(dir, 'flows/bench.flow.json'), JSON.stringify(flow));
}

function measured(args, env = {}) {
  const rssFile = join(benchDir, 'rss.json');
  rmSync(rssFile, { force: true });
  const started = performance.now();
  const child = spawnSync(process.execPath, ['--import', rssReporter, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env, FERRY_BENCH_RSS_FILE: rssFile },
    maxBuffer: 1 << 28,
  });
  const wallMs = performance.now() - started;
  if (child.status !== 0 && child.status !== 1)
    throw new Error(`${args.join(' ')} exited ${child.status}: ${child.stderr}`);
  return { stdout: child.stdout, wallMs, maxRss: JSON.parse(readFileSync(rssFile, 'utf8')).maxRssBytes };
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const mb = (b) => `${(b / 1024 / 1024).toFixed(0)} MB`;
mkdirSync(benchDir, { recursive: true });
const results = [];
for (const rows of sizes) {
  const csv = join(benchDir, `products-${rows}.csv`);
  if (!existsSync(csv)) await generateCsv(csv, rows);
  const ws = join(benchDir, `ws-${rows}`);
  workspace(ws, csv);
  const dataDir = join(benchDir, `data-${rows}`);
  rmSync(dataDir, { recursive: true, force: true });
  const ferry = measured([ferryBin, 'run', ws, 'bench', '--json'], { FERRY_DATA_DIR: dataDir });
  const finished = ferry.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .find((e) => e.type === 'run-finished');
  const s = finished.summary;
  if (s.counts.failed !== 0)
    throw new Error(`bench run had ${s.counts.failed} failed records: ${JSON.stringify(s.failures[0])}`);
  const raw = withRaw
    ? measured([join(root, 'scripts/bench/raw-loop.mjs'), csv, join(benchDir, 'raw-out.csv')])
    : undefined;
  const rawMs = raw === undefined ? NaN : JSON.parse(raw.stdout).ms;
  results.push({
    rows,
    ferryRate: rows / (s.durationMs / 1000),
    ferryWallRate: rows / (ferry.wallMs / 1000),
    ferryRss: ferry.maxRss,
    written: s.counts.created,
    rawRate: rows / (rawMs / 1000),
    rawRss: raw?.maxRss ?? NaN,
  });
}

console.log('\nFerry benchmark: file → map → filter → file (CSV, 10 mapped fields, ~80% kept)');
console.log(`machine: ${process.platform} ${process.arch}, node ${process.version}\n`);
console.log(
  'rows       | ferry rec/s (run) | ferry rec/s (process) | ferry peak RSS | raw loop rec/s | raw RSS | ferry/raw',
);
for (const r of results) {
  console.log(
    `${fmt(r.rows).padEnd(10)} | ${fmt(r.ferryRate).padStart(17)} | ${fmt(r.ferryWallRate).padStart(21)} | ${mb(r.ferryRss).padStart(14)} | ${fmt(r.rawRate).padStart(14)} | ${mb(r.rawRss).padStart(7)} | ${(r.ferryRate / r.rawRate).toFixed(2)}×`,
  );
}
const big = results.find((r) => r.rows === 1_000_000);
const small = results.find((r) => r.rows === 100_000);
if (big) {
  console.log(
    `\ntargets at 1M: ≥ 220,000 rec/s → ${fmt(big.ferryRate)} ${big.ferryRate >= 220_000 ? 'OK' : 'MISSED'}; ≥ 0.3× raw → ${(big.ferryRate / big.rawRate).toFixed(2)}× ${big.ferryRate / big.rawRate >= 0.3 ? 'OK' : 'MISSED'}`,
  );
  console.log(`peak RSS ≤ 150 MB → ${mb(big.ferryRss)} ${big.ferryRss <= 150 * 1024 * 1024 ? 'OK' : 'MISSED'}`);
  if (small)
    console.log(
      `RSS 1M ≤ 1.2× 100k → ${(big.ferryRss / small.ferryRss).toFixed(2)}× ${big.ferryRss <= 1.2 * small.ferryRss ? 'OK' : 'MISSED'}`,
    );
}

if (process.env.FERRY_BENCH_MAPPING !== '0') {
  console.log('\nMapping benchmark (in process, batches of 1,000):');
  const records = process.env.FERRY_BENCH_MAPPING_RECORDS ?? '1000000';
  const mapping = spawnSync(process.execPath, ['--import', 'tsx', 'core/mapping/bench-mapping.ts', records], {
    cwd: root,
    stdio: 'inherit',
  });
  if (mapping.status !== 0) throw new Error(`the mapping benchmark exited ${mapping.status}`);
}
