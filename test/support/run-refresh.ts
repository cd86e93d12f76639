import { runRefresh, type RunEvent, type RunOptions } from '@masque/core';

/**
 * `runRefresh` in-process, with every event it reports. `stopAfter` names a table: the run is
 * stopped (as by SIGTERM) once that table is staged.
 */
export async function runCollecting(options: Omit<RunOptions, 'signal' | 'onEvent'> & { stopAfter?: string }) {
  const { stopAfter, ...runOptions } = options;
  const events: RunEvent[] = [];
  const stop = new AbortController();
  const summary = await runRefresh({
    ...runOptions,
    signal: stop.signal,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'table-done' && e.summary.table === stopAfter) stop.abort();
    },
  });
  return { summary, events };
}
