/**
 * Runs `task(0 … count-1)` with at most `concurrency` running at once, in index order. The first task that throws
 * stops the rest: the tasks under way see `signal` abort, no new one starts, and that first error is thrown (or
 * the cancel's reason when `cancel` aborted). Used by destinations that send one request per record.
 */
export async function inParallel(
  count: number,
  concurrency: number,
  cancel: AbortSignal,
  task: (index: number, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  const signal = AbortSignal.any([cancel, stop.signal]);
  let next = 0;
  let fatal: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (fatal === undefined && next < count) {
      const index = next++;
      try {
        await task(index, signal);
      } catch (error) {
        if (fatal === undefined) {
          fatal = { error };
          stop.abort(error);
        }
      }
    }
  };
  cancel.throwIfAborted();
  await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), count) }, worker));
  if (fatal !== undefined) throw cancel.aborted ? cancel.reason : fatal.error;
}

/**
 * `task` for each index, in rounds: an index whose key (`keyOf`) an earlier index of the same round has goes to a
 * later round, so two records with one key (a SKU new to the target twice in a batch) are written one after the
 * other and the second sees the first; within a round, `inParallel`. Indexes without a key go in the first round.
 */
export async function inKeyedRounds(
  count: number,
  keyOf: (index: number) => string | undefined,
  concurrency: number,
  cancel: AbortSignal,
  task: (index: number, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  let remaining = Array.from({ length: count }, (_, i) => i);
  while (remaining.length > 0) {
    const round: number[] = [];
    const later: number[] = [];
    const seen = new Set<string>();
    for (const i of remaining) {
      const key = keyOf(i);
      if (key !== undefined && seen.has(key)) later.push(i);
      else {
        if (key !== undefined) seen.add(key);
        round.push(i);
      }
    }
    await inParallel(round.length, concurrency, cancel, (n, signal) => task(round[n]!, signal));
    remaining = later;
  }
}
