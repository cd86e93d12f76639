/**
 * SIGINT (Ctrl-C) and SIGTERM (systemd, Kubernetes, `timeout`) stop a run cleanly: the first one
 * aborts it, and the run rolls back what it has open, releases the target's lock and ends with
 * exit code 3 and one line saying why. A second one exits at once: the databases roll back what
 * the dropped connections had open, so the target is unchanged either way.
 */
export interface SignalAbort {
  signal: AbortSignal;
  /** Stops listening, so the process exits normally after the command. */
  dispose(): void;
}

export function abortOnSignals(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): SignalAbort {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      process.stderr.write(`masque: ${name} again: stopping at once; the target is unchanged\n`);
      process.exit(3);
    }
    controller.abort(new Error(`interrupted by ${name}`));
  };
  for (const name of signals) process.on(name, onSignal);
  const dispose = (): void => {
    for (const name of signals) process.off(name, onSignal);
  };
  return { signal: controller.signal, dispose };
}
