/** Test helper (only tests import it): a Clock whose sleeps advance time instead of waiting. */
import type { Clock } from './limits.js';

/** Sleeps advance the clock instead of waiting; `sleeps` lists what was asked. */
export function fakeClock(start = Date.parse('2026-06-01T00:00:00Z')): Clock & { sleeps: number[]; time: number } {
  const clock = {
    time: start,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number, signal: AbortSignal) => {
      signal.throwIfAborted();
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}
