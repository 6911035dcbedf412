// Preloaded into a benchmarked process: reports the CPU time it used (user + system, ms) when it exits, so a
// benchmark against a local server can say which side the time went to.
import { writeFileSync } from 'node:fs';

const out = process.env.FERRY_BENCH_CPU_FILE;
if (out) {
  process.on('exit', () => {
    const { user, system } = process.cpuUsage();
    writeFileSync(out, JSON.stringify({ cpuMs: (user + system) / 1000 }));
  });
}
