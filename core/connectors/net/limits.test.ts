import { describe, expect, it } from 'vitest';
import { fakeClock } from './fake-clock.js';
import { SlidingWindow } from './limits.js';

describe('SlidingWindow.resize', () => {
  it('grows: the grants already given stay in the window, the new places are free at once', () => {
    const clock = fakeClock();
    const window = new SlidingWindow(2, 1000, clock);
    expect([window.reserve(), window.reserve()]).toEqual([0, 0]);
    window.resize(4);
    expect([window.reserve(), window.reserve()]).toEqual([0, 0]);
    // Full at 4: the next waits for the first grant (at 0) to leave, plus the margin.
    expect(window.reserve()).toBe(1250);
    expect(window.max).toBe(4);
    expect(window.granted).toBe(5);
  });

  it('shrinks: the newest grants count against the smaller allowance', () => {
    const clock = fakeClock();
    const window = new SlidingWindow(5, 1000, clock);
    for (let i = 0; i < 4; i++) {
      expect(window.reserve()).toBe(0);
      clock.time += 100;
    }
    window.resize(2);
    // Kept: the grants at 200 and 300; the next may go when the one at 200 has left (200 + 1000 + 250 − 400 now).
    expect(window.reserve()).toBe(1050);
    expect(window.max).toBe(2);
  });

  it('never puts more than the current allowance in any window across resizes', async () => {
    const clock = fakeClock();
    const window = new SlidingWindow(10, 5000, clock);
    const signal = new AbortController().signal;
    const granted: number[] = [];
    for (let i = 0; i < 300; i++) {
      if (i === 40) window.resize(25);
      if (i === 150) window.resize(8);
      clock.time += (i * 31) % 13;
      await window.take(signal);
      granted.push(clock.time);
    }
    // After the last resize, any 8 consecutive grants span at least a window.
    for (let i = 158; i < granted.length; i++) expect(granted[i]! - granted[i - 8]!).toBeGreaterThanOrEqual(5000);
  });
});
