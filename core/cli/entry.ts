import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

/**
 * How far V8 lets the old generation grow past the live heap before the next full GC. A run's live heap is small
 * (12 – 18 MB at any size) but a steady trickle of promoted page data made V8's own choice (up to 4×) keep ~20 MB
 * of garbage at 1M rows that 100k rows never reached. 50% caps that at a few full GCs per million records. Read by
 * V8 at every full GC, so setting it here (not as a node option) takes effect.
 */
const HEAP_GROWING_PERCENT = 50;

/** Process wiring for the bundled `ferry` binary: Ctrl+C cancels the run gracefully, a second one exits at once. */
export async function runCli(argv: string[]): Promise<number> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nferry: cancelling… (Ctrl+C again to quit at once)\n');
    controller.abort(new Error('cancelled'));
  });
  return main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
}
