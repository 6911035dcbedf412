// The Acumatica emulator for `scripts/bench-acumatica.mjs`, in a process of its own (so the measured `ferry run`
// does not share its event loop) with the licence limits of the benchmark: 2 API users, 5 concurrent requests, 600
// requests per minute. Prints {"url","instanceUrl"} on start; on stdin "stats" prints the emulator's counters, the
// number of customers (and of renamed ones) and its CPU time as one JSON line; stdin closing stops it.
import { createInterface } from 'node:readline';
import { startAcumaticaEmulator } from '../../core/connectors/acumatica/emulator/index.js';

const acu = await startAcumaticaEmulator({ limits: { apiUsers: 2, concurrentRequests: 5, requestsPerMinute: 600 } });
process.stdout.write(`${JSON.stringify({ url: acu.url, instanceUrl: acu.instanceUrl })}\n`);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() !== 'stats') return;
  const records = acu.store.records('Customer');
  const renamed = records.filter((r) => String(r.fields.CustomerName).startsWith('Renamed')).length;
  const { user, system } = process.cpuUsage();
  const cpuMs = (user + system) / 1000;
  process.stdout.write(`${JSON.stringify({ ...acu.stats, customers: records.length, renamed, cpuMs })}\n`);
});
lines.on('close', () => void acu.close().then(() => process.exit(0)));
