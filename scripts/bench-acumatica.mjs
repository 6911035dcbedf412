// Part of `npm run bench` (after bench-bc.mjs): customer upserts from a CSV file into the Acumatica emulator
// through the real `ferry run`, at concurrency level 5 and a budget of 600 requests per minute, against an emulator
// with the same licence limits (2 API users, 5 concurrent requests, 600 per minute). Acumatica takes one record
// per PUT, so the budget's limit is 10 records/s; printed: records/s against it, the emulator's 429s, refused
// sign-ins (the API-user limit), sessions still open after the run, the most requests it had in flight.
// FERRY_BENCH_ACU_RECORDS sets the size (default 1,000: about 2 × 100 s; the issue's figure is
// FERRY_BENCH_ACU_RECORDS=10000, about 17 minutes per run). Not a test: figures only.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  BENCH_DIR,
  benchNode,
  emulatorProcess,
  ferryRun,
  fmt,
  mapFields,
  writeBenchWorkspace,
} from './bench/erp-bench.mjs';

const records = Number(process.env.FERRY_BENCH_ACU_RECORDS ?? 1000);
const PER_MINUTE = 600;
const BUDGET_RECORDS_PER_SECOND = PER_MINUTE / 60;
const LEVEL = 5;
const csvFile = join(BENCH_DIR, 'acu-customers.csv');

function csv(updated) {
  const lines = ['no,name,email,city,updatedAt'];
  const cities = ['Bergen', 'Oslo', 'Aarhus', 'Gent', 'Lyon', 'Porto'];
  for (let i = 1; i <= records; i++) {
    const stamp = new Date(Date.UTC(2026, 0, 1) + i * 1000 + (updated ? 86_400_000 * 30 : 0)).toISOString();
    lines.push(`B${String(i).padStart(6, '0')},${updated ? 'Renamed' : 'Customer'} ${i},c${i}@example.com,${cities[i % 6]},${stamp}`); // prettier-ignore
  }
  writeFileSync(csvFile, `${lines.join('\n')}\n`);
}

mkdirSync(BENCH_DIR, { recursive: true });
const emulator = await emulatorProcess('scripts/bench/acumatica-emulator.mts');
const ws = join(BENCH_DIR, 'ws-acu');
const dataDir = join(BENCH_DIR, 'data-acu');
rmSync(dataDir, { recursive: true, force: true });
writeBenchWorkspace(ws, {
  workspace: { id: 'bench-acu', name: 'Bench Acumatica' },
  connection: {
    id: 'acu',
    name: 'Acumatica',
    connector: 'acumatica',
    settings: {
      instanceUrl: emulator.instanceUrl,
      username: 'admin',
      tenant: 'MyStore',
      requestsPerMinute: PER_MINUTE,
    },
    secrets: { password: { secret: 'bench-acu/acu/password' } },
    concurrency: { level: LEVEL },
  },
  nodes: [
    benchNode('csv', 'source', 'file', 0, { path: csvFile, key: 'no', deltaField: 'updatedAt' }),
    benchNode('map', 'map', 'map', 200, {
      fields: mapFields([
        ['CustomerID', 'no'],
        ['CustomerName', 'name'],
        ['CustomerClass', '"DEFAULT"'],
        ['MainContact.Email', 'email'],
        ['MainContact.Address.City', 'city'],
      ]),
    }),
    benchNode('acu', 'destination', 'acumatica', 400, { connection: 'acu', entity: 'Customer', operation: 'upsert' }),
  ],
});
const results = [];
for (const [label, updated] of [
  ['create', false],
  ['update', true],
]) {
  csv(updated);
  const before = await emulator.stats();
  const env = { FERRY_SECRET_ACU_PASSWORD: 'Ferry-Demo-1' };
  const { summary: s, cpuMs } = ferryRun({ ws, dataDir, env, name: 'acu' });
  const after = await emulator.stats();
  if (s.status !== 'succeeded' || s.counts.failed !== 0) {
    throw new Error(`run ${s.status}, ${s.counts.failed} failed: ${s.error ?? JSON.stringify(s.failures[0])}`);
  }
  const written = s.counts.created + s.counts.updated;
  results.push({
    label,
    written,
    seconds: s.durationMs / 1000,
    rate: written / (s.durationMs / 1000),
    requests: after.requests - before.requests,
    throttled: after.throttled - before.throttled,
    refusedLogins: after.loginFailures - before.loginFailures,
    logins: after.logins - before.logins,
    openAfter: after.openSessions,
    maxInFlight: after.maxInFlight,
    ferryCpuS: cpuMs / 1000,
    emulatorCpuS: (after.cpuMs - before.cpuMs) / 1000,
  });
}
emulator.stop();

console.log(
  `\nFerry benchmark: ${fmt(records)} customer upserts CSV → Acumatica emulator (one PUT per record, level ${LEVEL}, ${PER_MINUTE} requests/min)`, // prettier-ignore
);
if (records < 10_000) console.log("(the issue's figure: FERRY_BENCH_ACU_RECORDS=10000, about 17 minutes per run)");
console.log(`machine: ${process.platform} ${process.arch}, node ${process.version}\n`);
console.log(
  'run    | written | seconds | rec/s | of 10 rec/s budget | requests | 429s | refused logins | logins | open after | max in flight | CPU s: ferry / emulator', // prettier-ignore
);
for (const r of results) {
  console.log(
    `${r.label.padEnd(6)} | ${fmt(r.written).padStart(7)} | ${r.seconds.toFixed(1).padStart(7)} | ${r.rate.toFixed(2).padStart(5)} | ${`${((100 * r.rate) / BUDGET_RECORDS_PER_SECOND).toFixed(0)}%`.padStart(18)} | ${fmt(r.requests).padStart(8)} | ${String(r.throttled).padStart(4)} | ${String(r.refusedLogins).padStart(14)} | ${String(r.logins).padStart(6)} | ${String(r.openAfter).padStart(10)} | ${String(r.maxInFlight).padStart(13)} | ${r.ferryCpuS.toFixed(1)} / ${r.emulatorCpuS.toFixed(1)}`, // prettier-ignore
  );
}
const ok = results.every(
  (r) => r.rate >= 0.9 * BUDGET_RECORDS_PER_SECOND && r.refusedLogins === 0 && r.openAfter === 0 && r.throttled === 0,
);
console.log(
  `\ntarget: ≥ 90% of the budget's 10 rec/s, zero login-limit errors, zero sessions left open → ${ok ? 'OK' : 'MISSED'}`,
);
