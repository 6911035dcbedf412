import { main } from './main.js';

/** Process wiring for the bundled `ferry` binary: Ctrl+C cancels the run gracefully, a second one exits at once. */
export async function runCli(argv: string[]): Promise<number> {
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
