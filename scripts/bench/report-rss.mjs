// Preloaded into a benchmarked process: reports its peak resident set size when it exits.
import { writeFileSync } from 'node:fs';

const out = process.env.FERRY_BENCH_RSS_FILE;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, JSON.stringify({ maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  });
}
