import { formatProblem, type RunEvent } from '@masque/core';
import type { RunReport } from '../report/run-report.ts';
import { formatClock, formatCount, wrapText } from './format.ts';
import { LiveRegion } from './live-region.ts';
import { doneLine, progressLine, spinner, type TableProgress } from './progress-line.ts';
import type { Reporter } from './reporter.ts';
import { doneSentence, startLine } from './run-lines.ts';
import { summaryTable } from './summary-table.ts';

/** Redraws at most this often: smooth enough to read, cheap enough to ignore. */
const REDRAW_MS = 100;

/**
 * For people at a terminal: a live progress bar per table being copied (rows, rows/s, ETA), each
 * left behind as a finished line, then a summary table and one sentence of what happened. On a
 * terminal no line is wider than it: long lines wrap rather than lose what they say. Not on a
 * terminal (`--log pretty` into a file) it writes only the finished lines, the table and the
 * sentence, without escape codes.
 */
export function prettyReporter(stream: NodeJS.WriteStream = process.stderr, now: () => number = Date.now): Reporter {
  const region = stream.isTTY ? new LiveRegion(stream) : undefined;
  const active = new Map<string, TableProgress>();
  let committing: number | undefined;
  /** The target as the start event named it (redacted), for the closing sentence. */
  let target = 'the target';
  let nameWidth = 12;
  let frame = 0;
  let drawnAt = 0;
  let timer: NodeJS.Timeout | undefined;

  const liveLines = (): string[] => {
    const lines = [...active.values()].map((p) => progressLine(p, now(), nameWidth, frame));
    if (committing !== undefined)
      lines.push(`  ${spinner(frame)} committing  ${formatClock((now() - committing) / 1000)}`);
    return lines;
  };
  const width = (): number | undefined => (region ? stream.columns : undefined);
  /** Prints lines for good, keeping the live lines below them; a long line continues indented. */
  const print = (...lines: string[]): void => {
    const fitted = lines.flatMap((l) => wrapText(l, width(), `${/^ */.exec(l)![0]}  `));
    if (region) region.update(liveLines(), fitted);
    else stream.write(fitted.map((l) => `${l}\n`).join(''));
  };
  const draw = (): void => {
    frame++;
    drawnAt = now();
    region?.update(liveLines());
  };
  /**
   * Redraws on a timer while something is live, so rates and spinners move between batches. The
   * timer alone is not enough: a synchronous driver (better-sqlite3) can copy a whole table
   * without yielding to the event loop, so progress events redraw too, at most every REDRAW_MS.
   */
  const keepDrawing = (): void => {
    const busy = active.size > 0 || committing !== undefined;
    if (busy && region && !timer) {
      timer = setInterval(draw, REDRAW_MS);
      timer.unref(); // never keeps the process alive by itself
    } else if (!busy && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  const onEvent = (event: RunEvent): void => {
    switch (event.type) {
      case 'warning':
        print(formatProblem(event.problem));
        break;
      case 'schema-created':
        print(`  created the source's schema in the target (${event.tables} tables)`);
        break;
      case 'start':
        target = event.target;
        print(...startLine(event.source, event.target, event.tables, width()));
        break;
      case 'subset':
        print(
          `  subset: kept ${formatCount(event.rows)} rows of ${event.tables} table(s) in ${event.seconds.toFixed(2)} s`,
        );
        break;
      case 'table-start':
        nameWidth = Math.min(32, Math.max(nameWidth, event.table.length));
        active.set(event.table, {
          table: event.table,
          estimatedRows: event.estimatedRows,
          rows: 0,
          bytes: 0,
          startedAt: now(),
        });
        draw();
        keepDrawing();
        break;
      case 'table-progress': {
        const progress = active.get(event.table);
        if (progress) Object.assign(progress, { rows: event.rows, bytes: event.bytes });
        if (now() - drawnAt >= REDRAW_MS) draw();
        break;
      }
      case 'table-done':
        active.delete(event.summary.table);
        print(doneLine(event.summary, nameWidth));
        keepDrawing();
        break;
      case 'commit':
        committing = now();
        if (!region) print('  committing');
        keepDrawing();
        break;
      case 'done': {
        const seconds = committing === undefined ? undefined : (now() - committing) / 1000;
        committing = undefined;
        keepDrawing();
        const committed = seconds === undefined ? [] : [`  committed in ${seconds.toFixed(2)} s`];
        const table = summaryTable(event.summary, width()).trimEnd().split('\n');
        print(...committed, '', ...table, '', ...doneSentence(event.summary, target, width()));
        break;
      }
    }
  };

  /** On success the summary is out already (on `done`); on failure, leave the last state on screen. */
  const finish = (report: RunReport): void => {
    if (report.status === 'ok') return;
    const last = region ? liveLines() : [];
    active.clear();
    committing = undefined;
    keepDrawing();
    print(...last, `  stopped after ${report.seconds.toFixed(2)} s, ${report.tables.length} table(s) finished`);
  };
  return Object.assign(onEvent, { finish });
}
