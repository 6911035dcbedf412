import { errorMessage } from './errors.js';
import type { TestResult } from './types.js';

/**
 * The frame of a "Test connection": open, probe, always close. A failure to open or to probe is the test's answer
 * (not an exception), except a cancel, which propagates; the transport's warnings (e.g. certificate checks off)
 * travel with a result.
 */
export async function probeConnection<C extends { close(): Promise<void> }>(
  signal: AbortSignal,
  open: () => Promise<C>,
  probe: (connected: C) => Promise<TestResult>,
  warnings: (connected: C) => readonly string[],
): Promise<TestResult> {
  let connected: C;
  try {
    connected = await open();
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
  try {
    const result = await probe(connected);
    const said = warnings(connected);
    return said.length > 0 ? { ...result, warnings: [...said] } : result;
  } catch (error) {
    if (signal.aborted) throw error;
    return { ok: false, message: errorMessage(error) };
  } finally {
    await connected.close();
  }
}
