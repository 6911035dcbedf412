#!/usr/bin/env node
/**
 * Measures the CSV parser and writer candidates for the file connector on the engine benchmark's workload
 * (docs/decisions/csv-parser.md records the figures and the choice).
 *
 *   npm install --prefix /tmp/csvbench csv-parse csv-stringify papaparse udsv csv-parser
 *   node scripts/bench-csv-parsers.mjs [--rows 1000000] [--runs 3] [--deps /tmp/csvbench] [--only name,...]
 *
 * Every measurement runs in a fresh child process so one candidate's JIT state and garbage cannot slow the next.
 * Parsers read the file as a stream (256 KiB chunks) and must produce one object per row keyed by the header;
 * each run is checked (row count, a checksum over qty, quoted descriptions) so a fast-but-wrong parser shows up.
 * `--edges` instead prints which candidates get the RFC 4180 edge cases right.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HEADER = 'id,sku,name,description,price,cost,qty,category,email,country,updatedAt,status';
const HIGH_WATER_MARK = 256 * 1024;
const self = fileURLToPath(import.meta.url);
const repoRoot = join(self, '..', '..');

const args = parseArgs(process.argv.slice(2));
const deps = args.deps ?? process.env.CSVBENCH_DIR ?? '/tmp/csvbench';
const requireDep = createRequire(join(deps, 'package.json'));

const parsers = {
  'csv-parse': async () => {
    const { parse } = requireDep('csv-parse');
    return (file) =>
      consumeStream(createReadStream(file, { highWaterMark: HIGH_WATER_MARK }).pipe(parse({ columns: true })));
  },
  'csv-parser': async () => {
    const csvParser = requireDep('csv-parser');
    return (file) => consumeStream(createReadStream(file, { highWaterMark: HIGH_WATER_MARK }).pipe(csvParser()));
  },
  papaparse: async () => {
    const Papa = requireDep('papaparse');
    return (file) =>
      new Promise((resolve, reject) => {
        const check = checker();
        Papa.parse(createReadStream(file, { highWaterMark: HIGH_WATER_MARK, encoding: 'utf8' }), {
          header: true,
          skipEmptyLines: true,
          chunk: (result) => result.data.forEach(check.add),
          complete: () => resolve(check.result()),
          error: reject,
        });
      });
  },
  udsv: async () => {
    const { inferSchema, initParser } = requireDep('udsv');
    return async (file) => {
      const check = checker();
      const decoder = new TextDecoder();
      let parser = null;
      const onRow = (row) => void check.add(row);
      for await (const chunk of createReadStream(file, { highWaterMark: HIGH_WATER_MARK })) {
        const text = decoder.decode(chunk, { stream: true });
        parser ??= initParser(inferSchema(text, { col: ',', row: '\n', encl: '"' }));
        parser.chunk(text, parser.stringObjs, onRow);
      }
      parser.end();
      return check.result();
    };
  },
  'ferry-tokenizer': async () => {
    const { CsvParser } = await importTs('core/connectors/file/csv-parse.ts');
    const { recordBuilder } = await importTs('core/connectors/file/csv-reader.ts');
    // Same harness as udsv (streaming TextDecoder, no paging): tokenizer + object construction only.
    return async (file) => {
      const check = checker();
      const decoder = new TextDecoder();
      const parser = new CsvParser(',');
      let build = null;
      const onRow = (fields) => {
        if (build === null) {
          build = recordBuilder(fields);
          parser.fieldCount = fields.length;
          return;
        }
        check.add(build(fields));
      };
      for await (const chunk of createReadStream(file, { highWaterMark: HIGH_WATER_MARK })) {
        parser.push(decoder.decode(chunk, { stream: true }), onRow);
      }
      parser.finish(onRow);
      return check.result();
    };
  },
  'ferry-reader': () => ferryReader({}),
  // As `npm run bench` configures the source: a key and three typed columns.
  'ferry-reader-typed': () => ferryReader(TYPED_SOURCE),
};

const TYPED_SOURCE = { key: 'id', types: { price: 'number', cost: 'number', qty: 'integer' } };

async function ferryReader(config) {
  const { fileConnector } = await importTs('core/connectors/file/index.ts');
  return async (file) => {
    const check = checker();
    const signal = new AbortController().signal;
    const ctx = { workspaceDir: tmpdir(), secret: async () => undefined, signal, log: console };
    const { source } = fileConnector;
    const reader = await source.open(source.configSchema.parse({ path: file, ...config }), ctx);
    for await (const page of reader.pages({ pageSize: 1000, signal })) page.records.forEach(check.add);
    return check.result();
  };
}

const writers = {
  'csv-stringify': async () => {
    const { stringify } = requireDep('csv-stringify');
    return async (records, file) => {
      const out = createWriteStream(file, { highWaterMark: HIGH_WATER_MARK });
      const stringifier = stringify({ header: true, columns: Object.keys(records[0]) });
      stringifier.pipe(out);
      for (let round = 0; round < args.rounds; round++) {
        for (const record of records) if (!stringifier.write(record)) await once(stringifier, 'drain');
      }
      stringifier.end();
      await once(out, 'close');
    };
  },
  'ferry-writer': async () => {
    const { createCsvFormatter } = await importTs('core/connectors/file/csv-format.ts');
    return async (records, file) => {
      const columns = Object.keys(records[0]);
      const format = createCsvFormatter({ columns, delimiter: ',', lineEnding: '\n' });
      const out = createWriteStream(file, { highWaterMark: HIGH_WATER_MARK });
      out.write(format.header());
      for (let round = 0; round < args.rounds; round++) {
        // The connector writes one string per batch, as the engine hands it batches of 1000.
        for (let i = 0; i < records.length; i += 1000) {
          let text = '';
          for (const record of records.slice(i, i + 1000)) text += format.row(record);
          if (!out.write(text)) await once(out, 'drain');
        }
      }
      out.end();
      await once(out, 'close');
    };
  },
  'ferry-destination': async () => {
    const { fileConnector } = await importTs('core/connectors/file/index.ts');
    // The whole destination: batches of 1000 flow records, temp file, outcomes, rename on close.
    return async (records, file) => {
      const signal = new AbortController().signal;
      const ctx = { workspaceDir: tmpdir(), secret: async () => undefined, signal, log: console };
      const role = fileConnector.destination;
      const writer = await role.open(role.configSchema.parse({ path: file }), ctx);
      const flow = records.map((data, i) => ({
        data,
        source: data,
        lineage: { node: 'src', key: String(i), page: 0 },
      }));
      for (let round = 0; round < args.rounds; round++) {
        for (let i = 0; i < flow.length; i += 1000)
          await writer.write(flow.slice(i, i + 1000), { dryRun: false, signal });
      }
      await writer.close({ ok: true, dryRun: false });
    };
  },
};

/** The connector's share of the engine benchmark: read, keep "active" rows, reshape them, write. No engine. */
const pipelines = {
  'csv-parse+stringify': async () => {
    const { parse } = requireDep('csv-parse');
    const { stringify } = requireDep('csv-stringify');
    const { pipeline } = await import('node:stream/promises');
    const { Transform } = await import('node:stream');
    return async (file, out) => {
      let rows = 0;
      const filterMap = new Transform({
        objectMode: true,
        transform(row, _encoding, done) {
          rows++;
          if (row.status === 'active') this.push(reshape(row));
          done();
        },
      });
      const input = createReadStream(file, { highWaterMark: HIGH_WATER_MARK });
      await pipeline(input, parse({ columns: true }), filterMap, stringify({ header: true }), createWriteStream(out));
      return rows;
    };
  },
  'ferry-connector': async () => {
    const { fileConnector } = await importTs('core/connectors/file/index.ts');
    return async (file, out) => {
      const signal = new AbortController().signal;
      const ctx = { workspaceDir: tmpdir(), secret: async () => undefined, signal, log: console };
      const { source, destination } = fileConnector;
      const reader = await source.open(source.configSchema.parse({ path: file, ...TYPED_SOURCE }), ctx);
      const writer = await destination.open(destination.configSchema.parse({ path: out }), ctx);
      let rows = 0;
      let page = 0;
      for await (const { records } of reader.pages({ pageSize: 1000, signal })) {
        const batch = [];
        for (const row of records) {
          rows++;
          if (row.status === 'active')
            batch.push({ data: reshape(row), source: row, lineage: { node: 'src', key: row.id, page } });
        }
        page++;
        await writer.write(batch, { dryRun: false, signal });
      }
      await writer.close({ ok: true, dryRun: false });
      return rows;
    };
  },
};

function reshape(row) {
  return { id: row.id, sku: row.sku, name: row.name.toUpperCase(), price: row.price, qty: row.qty, email: row.email };
}

async function runAll() {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-csvbench-'));
  try {
    // --keep FILE reuses (or first creates) a workload file, for repeated runs while tuning.
    const file = args.keep ?? join(dir, 'workload.csv');
    const started = performance.now();
    if (!args.keep || !existsSync(file)) await generate(file, args.rows);
    const size = statSync(file).size;
    console.log(
      `workload: ${args.rows.toLocaleString('en')} rows, ${(size / 1048576).toFixed(1)} MiB, ready in ${ms(started)} ms`,
    );
    console.log(`node ${process.version}, ${args.runs} runs each, best and median shown\n`);
    console.log('parse (stream → object per row)');
    for (const name of selected(Object.keys(parsers))) report(name, measure(['parse', name, file]));
    console.log('\nwrite (object per row → file)');
    for (const name of selected(Object.keys(writers))) {
      report(name, measure(['write', name, file, join(dir, `out-${name}.csv`)]));
    }
    console.log('\nfile → filter → map → file, connector only (input rows/s)');
    for (const name of selected(Object.keys(pipelines))) {
      report(name, measure(['pipeline', name, file, join(dir, `out-${name}.csv`)]));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measure(childArgs) {
  const results = [];
  for (let run = 0; run < args.runs; run++) {
    const child = spawnSync(
      process.execPath,
      [self, '--child', ...childArgs, '--deps', deps, '--rows', `${args.rows}`],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    );
    if (child.status !== 0) return { error: (child.stderr || child.stdout).trim().split('\n').slice(0, 3).join(' | ') };
    results.push(JSON.parse(child.stdout.trim().split('\n').pop()));
  }
  return { results };
}

function report(name, { error, results }) {
  if (error) {
    console.log(`  ${name.padEnd(16)} failed: ${error}`);
    return;
  }
  const rates = results.map((r) => r.rows / (r.ms / 1000)).sort((a, b) => b - a);
  const best = Math.round(rates[0]).toLocaleString('en');
  const median = Math.round(rates[Math.floor(rates.length / 2)]).toLocaleString('en');
  const { check } = results[0];
  const verdict = check === undefined ? '' : check.ok ? 'output ok' : `WRONG OUTPUT: ${check.problem}`;
  console.log(
    `  ${name.padEnd(16)} best ${best.padStart(10)} rows/s   median ${median.padStart(10)} rows/s   ${verdict}`,
  );
}

async function runChild() {
  const [mode, name, file, out] = args.positional;
  if (mode === 'parse') {
    const parse = await parsers[name]();
    const started = performance.now();
    const check = await parse(file);
    const elapsed = performance.now() - started;
    console.log(JSON.stringify({ rows: check.rows, ms: elapsed, check: verify(check) }));
    return;
  }
  if (mode === 'pipeline') {
    const run = await pipelines[name]();
    const started = performance.now();
    const rows = await run(file, out);
    const elapsed = performance.now() - started;
    const written = readFileSync(out, 'utf8').split('\n').length - 2; // minus the header and the final empty piece
    let active = 0;
    for (let i = 0; i < args.rows; i++) if (workloadRow(i).status === 'active') active++;
    const check =
      written === active ? { ok: true } : { ok: false, problem: `${written} rows written, expected ${active}` };
    console.log(JSON.stringify({ rows, ms: elapsed, check }));
    return;
  }
  // Writers are fed the first 100k rows ten times, so record construction is not what gets measured.
  const records = await loadRecords(file, Math.min(args.rows, 100_000));
  args.rounds = Math.max(1, Math.round(args.rows / records.length));
  const write = await writers[name]();
  const started = performance.now();
  await write(records, out);
  const elapsed = performance.now() - started;
  const check = await (await parsers['csv-parse']())(out);
  console.log(
    JSON.stringify({
      rows: records.length * args.rounds,
      ms: elapsed,
      check: verify(check, records.length * args.rounds, records.length),
    }),
  );
}

async function loadRecords(file, limit) {
  const { parse } = requireDep('csv-parse');
  const records = [];
  const stream = createReadStream(file).pipe(parse({ columns: true, to: limit }));
  for await (const record of stream) records.push(record);
  return records;
}

/** Cheap fingerprint of what was parsed: counts, a sum, and how many descriptions kept their quoted commas. */
function checker() {
  let rows = 0;
  let qty = 0;
  let commas = 0;
  let quotes = 0;
  let bad = 0;
  return {
    add(row) {
      rows++;
      qty += Number(row.qty);
      if (row.description.includes(',')) commas++;
      if (row.description.includes('"')) quotes++;
      if (row.status !== 'active' && row.status !== 'inactive' && row.status !== 'discontinued') bad++;
    },
    result: () => ({ rows, qty, commas, quotes, bad }),
  };
}

function verify(check, rows = args.rows, period = rows) {
  const expected = expectedChecksums(rows, period);
  for (const key of ['rows', 'qty', 'commas', 'quotes']) {
    if (check[key] !== expected[key]) return { ok: false, problem: `${key} ${check[key]}, expected ${expected[key]}` };
  }
  if (check.bad > 0) return { ok: false, problem: `${check.bad} rows with a shifted status column` };
  return { ok: true };
}

function expectedChecksums(rows, period) {
  let qty = 0;
  let commas = 0;
  let quotes = 0;
  for (let i = 0; i < rows; i++) {
    const row = workloadRow(i % period);
    qty += row.qty;
    if (row.description.includes(',')) commas++;
    if (row.description.includes('"')) quotes++;
  }
  return { rows, qty, commas, quotes };
}

const words = ['anchor', 'bracket', 'cable', 'dowel', 'easel', 'flange', 'gasket', 'hinge', 'insert', 'joint'];
const categories = ['tools', 'garden', 'kitchen', 'office', 'outdoor', 'storage', 'lighting', 'toys'];
const countries = ['US', 'DE', 'FR', 'GB', 'NL', 'ES', 'IT', 'PL', 'SE', 'CA'];

/** Deterministic, so checksums can be computed without re-reading the file. */
function workloadRow(i) {
  const h = hash(i);
  const word = words[h % words.length];
  const kind = (h >>> 8) % 100;
  const description =
    kind < 15
      ? `Durable, lightweight ${word}, pack of ${(h % 12) + 1}`
      : kind < 18
        ? `The "${word}" model, 3" wide`
        : `Standard ${word} for everyday use`;
  const price = ((h % 100_000) / 100 + 1).toFixed(2);
  return {
    id: i + 1,
    sku: `SKU-${String(i + 1).padStart(7, '0')}`,
    name: `${word[0].toUpperCase()}${word.slice(1)} ${(h >>> 4) % 1000}`,
    description,
    price,
    cost: (Number(price) * 0.6).toFixed(2),
    qty: (h >>> 12) % 500,
    category: categories[(h >>> 3) % categories.length],
    email: `buyer${(h >>> 5) % 50_000}@example.com`,
    country: countries[(h >>> 7) % countries.length],
    updatedAt: new Date(Date.UTC(2024, 0, 1) + i * 31_000).toISOString(),
    status: (h >>> 16) % 100 < 80 ? 'active' : (h >>> 16) % 2 === 0 ? 'inactive' : 'discontinued',
  };
}

function hash(i) {
  let x = (i + 1) * 0x9e3779b1;
  x ^= x >>> 15;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  return x >>> 0;
}

function csvCell(value) {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

async function generate(file, rows) {
  const out = createWriteStream(file, { highWaterMark: HIGH_WATER_MARK });
  out.write(`${HEADER}\n`);
  for (let i = 0; i < rows; i += 1000) {
    let text = '';
    for (let j = i; j < Math.min(rows, i + 1000); j++)
      text += `${Object.values(workloadRow(j)).map(csvCell).join(',')}\n`;
    if (!out.write(text)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'close');
}

/** The cases the connector must get right; each library is asked to parse them into arrays of fields. */
// prettier-ignore
const edgeCases = [
  { name: 'quoted delimiter', input: 'a,b\n"x,y",z\n', rows: [['a', 'b'], ['x,y', 'z']] },
  { name: '"" escape', input: 'a,b\n"say ""hi""",z\n', rows: [['a', 'b'], ['say "hi"', 'z']] },
  { name: 'LF inside quotes', input: 'a,b\n"line1\nline2",z\n', rows: [['a', 'b'], ['line1\nline2', 'z']] },
  { name: 'CRLF inside quotes', input: 'a,b\r\n"line1\r\nline2",z\r\n', rows: [['a', 'b'], ['line1\r\nline2', 'z']] },
  { name: 'CRLF endings', input: 'a,b\r\n1,2\r\n3,4\r\n', rows: [['a', 'b'], ['1', '2'], ['3', '4']] },
  { name: 'mixed LF/CRLF', input: 'a,b\n1,2\r\n3,4\n', rows: [['a', 'b'], ['1', '2'], ['3', '4']] },
  { name: 'no final newline', input: 'a,b\n1,2', rows: [['a', 'b'], ['1', '2']] },
  { name: 'empty lines', input: 'a,b\n\n1,2\n\n3,4\n', rows: [['a', 'b'], ['1', '2'], ['3', '4']] },
  { name: 'empty CRLF lines', input: 'a,b\r\n\r\n1,2\r\n\r\n', rows: [['a', 'b'], ['1', '2']] },
  { name: 'short row kept apart', input: 'a,b,c\n1,2\n3,4,5\n', rows: [['a', 'b', 'c'], ['1', '2'], ['3', '4', '5']] },
  { name: 'long row kept apart', input: 'a,b\n1,2,3\n4,5\n', rows: [['a', 'b'], ['1', '2', '3'], ['4', '5']] },
  { name: 'quote inside a field', input: 'a,b\n5" wide,x\n', rows: [['a', 'b'], ['5" wide', 'x']] },
  { name: 'unterminated quote', input: 'a,b\n"x,1\n', error: true },
  { name: 'empty fields', input: 'a,b,c\n,,\n"",x,\n', rows: [['a', 'b', 'c'], ['', '', ''], ['', 'x', '']] },
];

async function printEdgeCases() {
  const candidates = {
    'csv-parse': async (input) =>
      requireDep('csv-parse/sync').parse(input, { skip_empty_lines: true, relax_column_count: true }),
    'csv-parser': async (input) => {
      const { Readable } = await import('node:stream');
      const rows = [];
      const stream = Readable.from([input]).pipe(requireDep('csv-parser')({ headers: false }));
      for await (const row of stream) rows.push(Object.values(row));
      return rows;
    },
    papaparse: async (input) => {
      // Papa Parse reports problems beside the data instead of throwing.
      const result = requireDep('papaparse').parse(input, { skipEmptyLines: true });
      if (result.errors.length > 0) throw new Error(result.errors[0].message);
      return result.data;
    },
    udsv: async (input) => {
      const { inferSchema, initParser } = requireDep('udsv');
      const schema = inferSchema(input, { col: ',', encl: '"', header: () => [] });
      return initParser(schema).stringArrs(input);
    },
    'ferry-tokenizer': async (input) => {
      const { CsvParser } = await importTs('core/connectors/file/csv-parse.ts');
      const rows = [];
      const parser = new CsvParser(',');
      // Fed in 3-character pieces to exercise rows split across chunks.
      for (let i = 0; i < input.length; i += 3) parser.push(input.slice(i, i + 3), (fields) => rows.push(fields));
      parser.finish((fields) => rows.push(fields));
      return rows;
    },
  };
  console.log(`| case | ${Object.keys(candidates).join(' | ')} |`);
  console.log(`| --- |${' --- |'.repeat(Object.keys(candidates).length)}`);
  for (const edge of edgeCases) {
    const cells = [];
    for (const parse of Object.values(candidates)) {
      try {
        const rows = await parse(edge.input);
        if (edge.error) cells.push(`no error: ${JSON.stringify(rows)}`);
        else cells.push(JSON.stringify(rows) === JSON.stringify(edge.rows) ? 'ok' : `wrong: ${JSON.stringify(rows)}`);
      } catch (error) {
        cells.push(edge.error ? 'ok (error)' : `error: ${error.message.split('\n')[0]}`);
      }
    }
    console.log(`| ${edge.name} | ${cells.join(' | ')} |`);
  }
}

async function consumeStream(stream) {
  const check = checker();
  stream.on('data', check.add);
  await once(stream, 'end');
  return check.result();
}

let tsxApi;
async function importTs(relative) {
  tsxApi ??= await import('tsx/esm/api');
  return tsxApi.tsImport(join(repoRoot, relative), import.meta.url);
}

function selected(names) {
  return args.only ? names.filter((n) => args.only.includes(n)) : names;
}

function ms(started) {
  return Math.round(performance.now() - started);
}

function parseArgs(argv) {
  const out = { rows: 1_000_000, runs: 3, positional: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--rows') out.rows = Number(argv[++i]);
    else if (arg === '--runs') out.runs = Number(argv[++i]);
    else if (arg === '--deps') out.deps = argv[++i];
    else if (arg === '--only') out.only = argv[++i].split(',');
    else if (arg === '--keep') out.keep = argv[++i];
    else if (arg === '--child') out.child = true;
    else if (arg === '--edges') out.edges = true;
    else out.positional.push(arg);
  }
  return out;
}

// Last, so every const above is initialised before the top-level await runs.
if (args.child) {
  await runChild();
} else if (args.edges) {
  await printEdgeCases();
} else {
  await runAll();
}
