import { describe, expect, it } from 'vitest';
import { inKeyedRounds } from './parallel.js';

describe('inKeyedRounds', () => {
  it('runs indexes with a key already in the round in a later round, the rest side by side', async () => {
    const keys = ['a', 'b', 'a', undefined, 'a', 'b', undefined];
    const rounds: number[][] = [];
    let round: number[] = [];
    let running = 0;
    // Concurrency above a round's size: a round's tasks all start before any ends, so `running` is 0 only between rounds.
    await inKeyedRounds(
      keys.length,
      (i) => keys[i],
      10,
      new AbortController().signal,
      async (i) => {
        if (running === 0 && round.length > 0) {
          rounds.push(round);
          round = [];
        }
        running++;
        round.push(i);
        await new Promise((resolve) => setTimeout(resolve, 1));
        running--;
      },
    );
    rounds.push(round);
    expect(rounds.map((r) => [...r].sort())).toEqual([[0, 1, 3, 6], [2, 5], [4]]);
  });
});
