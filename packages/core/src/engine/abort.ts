import { RuntimeError } from '../errors.ts';

/** A run stopped by its abort signal (exit code 3), saying what the target still holds. */
export class RunAborted extends RuntimeError {}

/** The error an aborted run ends with: the signal's reason (the CLI gives `interrupted by SIGTERM`) and `outcome`. */
export function abortError(signal: AbortSignal, outcome: string): RunAborted {
  const reason = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');
  return new RunAborted(`${reason}: ${outcome}`);
}

/**
 * The batches of `source`, until `signal` aborts: then the pending read is abandoned at once (a
 * source that waits on the database would otherwise hold the run) and the loop that consumes
 * them fails, which rolls back the table being written.
 */
export async function* abortable<T>(source: AsyncIterable<T>, signal?: AbortSignal): AsyncIterable<T> {
  if (!signal) return yield* source;
  const iterator = source[Symbol.asyncIterator]();
  let onAbort = (): void => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => {});
  try {
    for (;;) {
      signal.throwIfAborted();
      const next = await Promise.race([iterator.next(), aborted]);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Not awaited: a read still pending ends when the reader's connection is closed.
    void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}
