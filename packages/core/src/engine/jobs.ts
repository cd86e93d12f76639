/**
 * Runs `work` over `items` with one worker per resource (a reader connection each), each taking
 * the next item when it is free. The first failure stops the others (their `signal` aborts) and
 * is the one thrown, not the aborts it caused.
 */
export async function runJobs<T, R>(
  items: T[],
  resources: R[],
  work: (item: T, resource: R, signal: AbortSignal) => Promise<void>,
): Promise<void> {
  const stop = new AbortController();
  let next = 0;
  let failure: { error: unknown } | undefined;
  await Promise.all(
    resources.map(async (resource) => {
      while (!failure && next < items.length) {
        const item = items[next++]!;
        try {
          await work(item, resource, stop.signal);
        } catch (error) {
          failure ??= { error };
          stop.abort(error);
        }
      }
    }),
  );
  if (failure) throw failure.error;
}
