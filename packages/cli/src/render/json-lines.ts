import type { RunEvent } from '@masque/core';
import type { RunReport } from '../report/run-report.ts';
import type { Reporter } from './reporter.ts';

/**
 * One JSON object per line, for cron, CI and log collectors: every event as it happens (progress
 * thinned to one line a second), then always a last line with the run's report and exit code,
 * `{"type":"done",…}` or `{"type":"failed","error":…,…}`. The core's own `done` event is held
 * back for it, so the last line is the truth even when something fails after the copy; and the
 * last line stays the last, whatever a part of the run left behind by its abort still reports.
 */
export function jsonLinesReporter(
  write: (line: string) => void = (l) => process.stdout.write(l),
  now: () => number = Date.now,
): Reporter {
  let lastProgress = 0;
  let finished = false;
  const emit = (object: object) => write(`${JSON.stringify({ time: new Date(now()).toISOString(), ...object })}\n`);
  const onEvent = (event: RunEvent): void => {
    if (finished || event.type === 'done') return;
    if (event.type === 'table-progress') {
      if (now() - lastProgress < 1000) return;
      lastProgress = now();
    }
    emit(event);
  };
  const finish = (report: RunReport): void => {
    const { status, exitCode, error } = report;
    finished = true;
    emit(
      status === 'ok'
        ? { type: 'done', exitCode, summary: report }
        : { type: 'failed', exitCode, error, summary: report },
    );
  };
  return Object.assign(onEvent, { finish });
}
