import { expect, vi } from 'vitest';
import { main } from '../main.js';

/**
 * Runs `ferry emulate …` in-process until it has printed its banner; `stop()` is Ctrl+C and resolves to the exit
 * code. The caller stops it in a finally block.
 */
export async function startEmulate(args: string[], cwd: string) {
  const controller = new AbortController();
  let stdout = '';
  const exit = main(['emulate', ...args], {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: () => true },
    env: {},
    cwd,
    signal: controller.signal,
  });
  await vi.waitFor(() => expect(stdout).toContain('Press Ctrl+C to stop.'));
  return {
    stdout,
    stop: () => {
      controller.abort();
      return exit;
    },
  };
}
