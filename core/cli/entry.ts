import { setFlagsFromString } from 'node:v8';
import { openSessions } from '../connectors/open-sessions.js';
import { main } from './main.js';

/**
 * How far V8 lets the old generation grow past the live heap before the next full GC. A run's live heap is small
 * (12 – 18 MB at any size) but a steady trickle of promoted page data made V8's own choice (up to 4×) keep ~20 MB
 * of garbage at 1M rows that 100k rows never reached. 50% caps that at a few full GCs per million records. Read by
 * V8 at every full GC, so setting it here (not as a node option) takes effect.
 */
const HEAP_GROWING_PERCENT = 50;

/** How long a SIGTERM waits for the run to close its connections before signing out what is left and exiting. */
const TERMINATE_GRACE_MS = 10_000;

/** Signs out the sessions still open (connectors' backstop, see open-sessions.ts), then exits. */
async function exitAfterSignOut(code: number): Promise<never> {
  await openSessions.closeAll(3000);
  process.exit(code);
}

/**
 * Process wiring for the bundled `ferry` binary: Ctrl+C (or SIGTERM) cancels the run gracefully — the engine closes
 * every node, which signs remote sessions out; a second Ctrl+C exits at once, after signing out what is still open.
 */
export async function runCli(argv: string[]): Promise<number> {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  const controller = new AbortController();
  let interrupts = 0;
  process.on('SIGINT', () => {
    interrupts++;
    if (interrupts > 1) return void exitAfterSignOut(130);
    process.stderr.write('\nferry: cancelling… (Ctrl+C again to quit at once)\n');
    controller.abort(new Error('cancelled'));
  });
  process.on('SIGTERM', () => {
    controller.abort(new Error('terminated'));
    setTimeout(() => void exitAfterSignOut(143), TERMINATE_GRACE_MS).unref();
  });
  // A session nothing closed (the loop drained with it open) is signed out before the process ends.
  process.on('beforeExit', () => {
    if (openSessions.size > 0) void openSessions.closeAll();
  });
  return main(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    signal: controller.signal,
  });
}
