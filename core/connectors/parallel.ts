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
