import type { SnapshotReader } from '../dialects/dialect.ts';
import { RuntimeError } from '../errors.ts';

/** A run stopped by its abort signal (exit code 3), saying what the target still holds. */
export class RunAborted extends RuntimeError {}

const reasonOf = (signal: AbortSignal): string =>
  signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');

/** The error an aborted run ends with: the signal's reason (the CLI gives `interrupted by SIGTERM`) and `outcome`. */
export function abortError(signal: AbortSignal, outcome: string): RunAborted {
  return new RunAborted(`${reasonOf(signal)}: ${outcome}`);
}

/**
 * Lets the event loop run timers and signal handlers. A source that never waits for I/O (SQLite
 * reads synchronously) chains only promises, and a SIGTERM would otherwise be seen after the run.
 */
export function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The batches of `source`, until `signal` aborts: then the pending read is abandoned at once (a
 * source that waits on the database would otherwise hold the run) and the loop that consumes
 * them fails, which rolls back the table being written.
 */
export async function* abortable<T>(source: AsyncIterable<T>, signal?: AbortSignal): AsyncIterable<T> {
  if (!signal) return yield* source;
  const iterator = source[Symbol.asyncIterator]();
  let yielded = Date.now();
  // Always an Error: a stream destroyed with it passes its message on (pg sends it as CopyFail).
  const stop = (): RunAborted => new RunAborted(reasonOf(signal));
  try {
    for (;;) {
      if (Date.now() - yielded > 50) {
        await yieldToEvents();
        yielded = Date.now();
      }
      if (signal.aborted) throw stop();
      const next = await nextOrAbort(iterator, signal, stop);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    // Not awaited: a read still pending ends when the reader's connection is closed.
    void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

/**
 * The iterator's next result, or a rejection as soon as the signal aborts. One listener per read,
 * removed when the read settles: racing each read against one long-lived "aborted" promise would
 * leave a reaction on it per batch, keeping every batch of the table alive until the run ends.
 */
function nextOrAbort<T>(
  iterator: AsyncIterator<T>,
  signal: AbortSignal,
  stop: () => Error,
): Promise<IteratorResult<T>> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(stop());
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** `reader` with every read abortable by `signal`: the scans before the load and the load itself. */
export function abortableReader(reader: SnapshotReader, signal?: AbortSignal): SnapshotReader {
  if (!signal) return reader;
  return {
    read: (request) => abortable(reader.read(request), signal),
    ...(reader.sourceVersions && { sourceVersions: (tables) => reader.sourceVersions!(tables) }),
    ...(reader.share && { share: async () => abortableReader(await reader.share!(), signal) }),
    ...(reader.keyBounds && { keyBounds: (table, column) => reader.keyBounds!(table, column) }),
    ...(reader.readByKeys && { readByKeys: (lookup) => abortable(reader.readByKeys!(lookup), signal) }),
    ...(reader.countRows && { countRows: (table) => reader.countRows!(table) }),
    close: () => reader.close(),
  };
}
