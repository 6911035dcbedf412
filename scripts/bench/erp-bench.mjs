// Shared by the ERP benchmarks (bench-bc.mjs, bench-acumatica.mjs): the emulator in a process of its own, a
// benchmark workspace written to disk, and one `ferry run --json` of the built CLI with its CPU time measured.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const BENCH_DIR = join(ROOT, '.bench');

export const fmt = (n) => Math.round(n).toLocaleString('en-US');

export const benchNode = (id, kind, type, x, config) => ({ id, kind, type, typeVersion: 1, position: { x, y: 0 }, config }); // prettier-ignore

/** Map fields from [target, expression] pairs. */
export const mapFields = (pairs) => pairs.map(([target, expression]) => ({ target, expression }));

/** A fresh workspace: ferry.workspace.json, one connection and one flow, chained csv → map → destination. */
export function writeBenchWorkspace(dir, { workspace, connection, nodes }) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'flows'), { recursive: true });
  mkdirSync(join(dir, 'connections'), { recursive: true });
  writeFileSync(join(dir, 'ferry.workspace.json'), JSON.stringify({ schemaVersion: 1, ...workspace }));
  writeFileSync(join(dir, `connections/${connection.id}.connection.json`), JSON.stringify({ schemaVersion: 1, ...connection })); // prettier-ignore
  const edges = nodes.slice(1).map((n, i) => ({ from: { node: nodes[i].id, port: 'out' }, to: { node: n.id, port: 'in' } })); // prettier-ignore
  const flow = { schemaVersion: 2, id: 'customers', name: 'Customers', nodes, edges };
  writeFileSync(join(dir, 'flows/customers.flow.json'), JSON.stringify(flow));
}

/**
 * `ferry run <ws> customers --json` in a child process with its CPU time reported (scripts/bench/report-cpu.mjs).
 * `timeoutMs`: the run is stopped then and `stopped` is true. Throws when the run produced no summary.
 */
export function ferryRun({ ws, dataDir, env, name, timeoutMs }) {
  const cpuFile = join(BENCH_DIR, `${name}-cpu.json`);
  rmSync(cpuFile, { force: true });
  const started = performance.now();
  const args = ['--import', join(ROOT, 'scripts/bench/report-cpu.mjs'), join(ROOT, 'bin/ferry.mjs')];
  const child = spawnSync(process.execPath, [...args, 'run', ws, 'customers', '--json'], {
    encoding: 'utf8',
    env: { ...process.env, ...env, FERRY_DATA_DIR: dataDir, FERRY_SECRETS: 'env', FERRY_BENCH_CPU_FILE: cpuFile },
    maxBuffer: 1 << 28,
    timeout: timeoutMs,
  });
  const wallMs = performance.now() - started;
  if (child.error?.code === 'ETIMEDOUT') return { stopped: true, wallMs };
  const events = child.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  const finished = events.find((e) => e.type === 'run-finished');
  if (!finished) throw new Error(`ferry run exited ${child.status}: ${child.stderr}`);
  return { stopped: false, summary: finished.summary, wallMs, cpuMs: JSON.parse(readFileSync(cpuFile, 'utf8')).cpuMs };
}

/** An emulator script (.mts) in a process of its own: its first line, then `stats()` answers; `stop()` ends it. */
export async function emulatorProcess(script, env = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, script)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  const answers = createInterface({ input: child.stdout });
  const next = () => new Promise((resolveLine) => answers.once('line', (line) => resolveLine(JSON.parse(line))));
  const first = await next();
  return {
    ...first,
    stats: async () => {
      child.stdin.write('stats\n');
      return next();
    },
    stop: () => child.stdin.end(),
  };
}
