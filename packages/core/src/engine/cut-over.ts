import type { Loader } from '../dialects/dialect.ts';
import { statementError } from '../dialects/driver-error.ts';
import { abortError } from './abort.ts';
import { closeGraceMs, closeWithin, type RunAbort } from './run-abort.ts';

/**
 * The loader's commit: the one wait of a run not given up on at the first abort, since a COMMIT
 * already sent may still succeed. The abort (SIGTERM, `--timeout`) reaches the loader through the
 * signal, which rolls back if it comes in time; the loader then has a few seconds to say which way
 * it went, so that the run never claims an unchanged target that was in fact refreshed. Its error
 * says what the target holds: `unchanged` tells how an unchanged target is left.
 */
export async function cutOver(loader: Loader, run: RunAbort, unchanged: string): Promise<void> {
  const commit = loader.commit(run.signal).catch((error: unknown) => {
    throw statementError('switching the tables to the new rows (cut-over)', error);
  });
  const settled = commit.then(
    () => 'committed' as const,
    () => 'rolled back' as const,
  );
  try {
    await run.watch(commit);
  } catch (error) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'unknown'>((resolve) => {
      timer = setTimeout(() => resolve('unknown'), closeGraceMs);
    });
    const outcome = await Promise.race([settled, late]).finally(() => clearTimeout(timer));
    if (outcome === 'committed') return; // too late to stop: the new rows are in
    if (outcome === 'unknown') {
      throw abortError(
        run.signal,
        'the cut-over did not answer in time: the target holds all its old rows or all the new',
      );
    }
    await closeWithin(() => loader.rollback());
    throw run.outcome(error, unchanged);
  }
}
