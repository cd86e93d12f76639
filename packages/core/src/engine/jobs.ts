import { RunAbort } from './run-abort.ts';

/**
 * Runs `work` over `items` with one worker per resource (a reader connection each), each taking
 * the next item when it is free. The first failure stops the others at once (the run's `signal`
 * aborts, and no worker waits any longer for the item it was on) and is the one thrown, not the
 * aborts it caused. So does an abort of the run from elsewhere (another part failed, SIGTERM).
 */
export async function runJobs<T, R>(
  items: T[],
  resources: R[],
  work: (item: T, resource: R, signal: AbortSignal) => Promise<void>,
  run: RunAbort = new RunAbort(),
): Promise<void> {
  let next = 0;
  await Promise.all(
    resources.map(async (resource) => {
      while (!run.signal.aborted && next < items.length) {
        const item = items[next++]!;
        await run.watch(work(item, resource, run.signal)).catch(() => {});
      }
    }),
  );
  // The first failure, or the caller's reason.
  if (run.signal.aborted) throw run.signal.reason;
}
