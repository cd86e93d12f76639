/**
 * SIGINT (Ctrl-C) and SIGTERM (systemd, Kubernetes, `timeout`) stop a run cleanly: the first one
 * aborts it, and the run rolls back what it has open, releases the target's lock and ends with
 * exit code 3 and one line saying why. A second one exits at once: the databases roll back what
 * the dropped connections had open, so the target is unchanged either way.
 *
 * An error nobody catches (a driver's `error` event with no listener, a rejection nobody awaits)
 * stops the run the same way, as its failure, rather than killing the process with a stack trace,
 * exit code 1 (which tells a scheduler not to retry) and no last JSON line.
 */
export interface SignalAbort {
  signal: AbortSignal;
  /** The error nobody caught, if one stopped the run. */
  readonly uncaught: { error: unknown } | undefined;
  /** Stops listening, so the process exits normally after the command. */
  dispose(): void;
}

export function abortOnSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalAbort {
  const controller = new AbortController();
  let uncaught: { error: unknown } | undefined;
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`masque: ${name} again: stopping at once; the target is unchanged\n`);
      process.exit(3);
    }
    controller.abort(new Error(`interrupted by ${name}`));
  };
  const onUncaught = (error: unknown): void => {
    uncaught ??= { error };
    controller.abort(error);
  };
  for (const name of signals) process.on(name, onSignal);
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  const dispose = (): void => {
    for (const name of signals) process.off(name, onSignal);
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
  };
  return {
    signal: controller.signal,
    get uncaught() {
      return uncaught;
    },
    dispose,
  };
}
