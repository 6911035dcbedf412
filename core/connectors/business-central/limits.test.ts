import { describe, expect, it } from 'vitest';
import { BcBudget, SlidingWindow, budgetFor } from './limits.js';
import { fakeClock } from './test-support.js';

describe('SlidingWindow', () => {
  it('grants `max` at once, then each next grant when the one `max` places back leaves the window (+ margin)', () => {
    const clock = fakeClock();
    const window = new SlidingWindow(3, 1000, clock);
    // Below 12.5 s the margin is its minimum, 250 ms: the server counts arrivals, which lag our grants.
    expect(window.marginMs).toBe(250);
    expect([window.reserve(), window.reserve(), window.reserve()]).toEqual([0, 0, 0]);
    expect(window.reserve()).toBe(1250);
    clock.time += 400;
    // The 5th waits for the 2nd (granted at 0) to leave: 1250 − 400; the 6th for the 3rd.
    expect(window.reserve()).toBe(850);
    expect(window.reserve()).toBe(850);
    expect(window.granted).toBe(6);
  });

  it('never puts more than `max` grants in any window, whatever the arrival pattern', async () => {
    const clock = fakeClock();
    const window = new SlidingWindow(50, 10_000, clock);
    const granted: number[] = [];
    const signal = new AbortController().signal;
    for (let i = 0; i < 400; i++) {
      clock.time += (i * 7919) % 97; // uneven gaps, some zero
      await window.take(signal);
      granted.push(clock.time);
    }
    for (let i = 50; i < granted.length; i++) expect(granted[i]! - granted[i - 50]!).toBeGreaterThanOrEqual(10_000);
    // It waits rather than fails, and only as long as needed: the 51st grant comes one window (+ margin) after the 1st.
    expect(granted[50]! - granted[0]!).toBe(10_000 + window.marginMs);
    // BC's own window: 5 minutes + 2 % (6 s).
    expect(new SlidingWindow(6000, 300_000, clock).marginMs).toBe(6000);
  });
});

describe('BcBudget', () => {
  it('holds at most `concurrent` slots; a cancelled waiter leaves', async () => {
    const budget = new BcBudget({ concurrent: 2, requests: 100, windowMs: 1000 }, fakeClock());
    const signal = new AbortController().signal;
    const a = await budget.acquire(signal);
    await budget.acquire(signal);
    const cancel = new AbortController();
    const waiting = budget.acquire(cancel.signal);
    cancel.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    const third = budget.acquire(signal);
    a();
    await third;
    expect(budget.slots.peak).toBe(2);
  });

  it('is one per principal and limits for the whole process', () => {
    const limits = { concurrent: 5, requests: 6000, windowMs: 300_000 };
    const clock = fakeClock();
    expect(budgetFor('online|h|t|app', limits, clock)).toBe(budgetFor('online|h|t|app', limits, clock));
    expect(budgetFor('online|h|t|other', limits, clock)).not.toBe(budgetFor('online|h|t|app', limits, clock));
  });
});
