import type { Dialect } from '../dialects/dialect.ts';
import { RuntimeError } from '../errors.ts';

/**
 * Takes the target's run lock, so two runs never load one target at the same time. Another
 * run's lock makes this one fail at once, or after trying for `waitSeconds`, with the holder
 * named (exit code 3). Resolves to the function that releases the lock.
 */
export async function acquireRunLock(
  target: Dialect,
  targetName: string,
  waitSeconds = 0,
  signal?: AbortSignal,
): Promise<() => Promise<void>> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (;;) {
    signal?.throwIfAborted();
    const attempt = await target.tryLock();
    if (attempt.acquired) return attempt.release;
    const left = deadline - Date.now();
    if (left <= 0) {
      const waited = waitSeconds > 0 ? `after waiting ${waitSeconds} s` : 'pass --wait SECONDS to wait for it';
      throw new RuntimeError(
        `another masque run is refreshing ${targetName} (${attempt.holder}); this run did nothing (${waited})`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(1000, left)));
  }
}
