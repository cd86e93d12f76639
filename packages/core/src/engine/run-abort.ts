import { abortError } from './abort.ts';

/** How long a graceful close may take before the connection is left behind (see closeWithin). */
export const closeGraceMs = 3000;

/**
 * The one abort of a run. The first failure of any of its parts (a job's read or write, a unique
 * scan on its own connection, the cut-over, the lock) or the caller's signal (SIGTERM, `--timeout`)
 * stops every other part at once: they all listen to `signal`, and every wait on a server is
 * `watch`ed, so none of them goes on waiting on a server after another one failed. The error the
 * run reports is the first failure, not the aborts it caused in the other parts.
 */
export class RunAbort {
  readonly signal: AbortSignal;
  private readonly failed = new AbortController();
  private failure: { error: unknown } | undefined;
  private readonly timer: NodeJS.Timeout | undefined;

  constructor(outer?: AbortSignal, timeoutSeconds?: number) {
    const signals = [this.failed.signal, ...(outer ? [outer] : [])];
    if (timeoutSeconds !== undefined) {
      const timeout = new AbortController();
      const ms = Math.min(timeoutSeconds * 1000, 2 ** 31 - 1); // a longer delay would fire at once
      this.timer = setTimeout(() => timeout.abort(new Error(`timed out after ${timeoutSeconds} s`)), ms);
      signals.push(timeout.signal);
    }
    this.signal = AbortSignal.any(signals);
  }

  /** Ends the run with `error`; once it has ended, a later error is what the end caused, and is dropped. */
  fail(error: unknown): void {
    if (this.signal.aborted) return;
    this.failure = { error };
    this.failed.abort(error);
  }

  /**
   * `part`'s result. Its failure fails the run; the run's end rejects at once, whether `part`
   * settles or not (a statement on a dead connection settles when the connection is closed).
   */
  watch<T>(part: Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(this.signal.reason);
      if (this.signal.aborted) onAbort();
      else this.signal.addEventListener('abort', onAbort, { once: true });
      part.then(
        (value) => {
          this.signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          this.signal.removeEventListener('abort', onAbort);
          this.fail(error);
          reject(error);
        },
      );
    });
  }

  /**
   * What a run that threw `error` reports: the first failure of any part; else, when the caller
   * stopped it (or it timed out), why and `outcome` (what the target holds); else `error` itself.
   */
  outcome(error: unknown, outcome: string): unknown {
    if (this.failure) return this.failure.error;
    return this.signal.aborted ? abortError(this.signal, outcome) : error;
  }

  /** Stops the timeout's clock. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}

/**
 * Closes with `close`, waiting at most `ms`: a graceful close that does not finish in time (a
 * server that no longer answers) is given up on, and the connection dropped when the process
 * ends. A close that fails is as good as done: the server ends the session with its connection.
 */
export async function closeWithin(close: () => Promise<unknown>, ms = closeGraceMs): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  const closing = Promise.resolve()
    .then(close)
    .then(
      () => {},
      () => {},
    );
  await Promise.race([closing, late]).finally(() => clearTimeout(timer));
}
