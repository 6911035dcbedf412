// The Business Central emulator for `scripts/bench-bc.mjs`, in a process of its own (so the measured `ferry run`
// does not share its event loop): BC's real per-user limits, prints {"url"} on start; on stdin "stats" prints the
// emulator's counters, the number of customers (and of renamed ones) and its CPU time as one JSON line; stdin closing stops it.
import { createInterface } from 'node:readline';
import { BC_DEMO, startBcEmulator } from '../../core/connectors/business-central/emulator/index.js';

// BENCH_WINDOW_SECONDS scales BC's sliding window down (same 20 requests/s), so a run of minutes reaches it.
const windowSeconds = Number(process.env.BENCH_WINDOW_SECONDS ?? 300);
const bc = await startBcEmulator({
  limits: { requestsPerWindow: Math.round((6000 * windowSeconds) / 300), windowMs: windowSeconds * 1000 },
});
process.stdout.write(`${JSON.stringify({ url: bc.url })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const rows = bc.store.rows(BC_DEMO.companies.usa.id, 'customers');
  const customers = rows.length;
  const renamed = rows.filter((r) => String(r.row.displayName).startsWith('Renamed')).length;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ ...bc.stats, customers, renamed, cpuMs: (user + system) / 1000 })}\n`);
});
lines.on('close', () => void bc.close().then(() => process.exit(0)));
