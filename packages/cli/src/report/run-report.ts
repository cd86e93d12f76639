import type { RunEvent, TableSummary } from '@masque/core';
import { exitCodeOf } from '../exit.ts';
import { reasonOf } from '../format-error.ts';

/**
 * What `--report` writes, the JSON-lines summary holds and `--metrics` exposes: one run, whether
 * it succeeded or not. Totals (`rows`, `bytes`, `seconds`) sit at the top level, as in the core's
 * RunSummary; `tables` lists the tables finished before the end (all of them on success).
 */
export interface RunReport {
  status: 'ok' | 'failed';
  /** The process's exit code (SPEC: 0 ok, 1 check problems, 2 usage or config, 3 database or runtime). */
  exitCode: number;
  /** The one-line reason of a failed run, as printed on stderr (never values or secrets). */
  error?: string;
  /** Database URLs without passwords, once the run got as far as opening them. */
  source?: string;
  target?: string;
  startedAt: string;
  finishedAt: string;
  seconds: number;
  /** Seconds of the final switch to the new rows, when the run got that far. */
  cutoverSeconds?: number;
  rows: number;
  bytes: number;
  tables: TableSummary[];
}

/** Listens to a run's events and makes its report at the end, on success or on failure. */
export interface RunRecorder {
  onEvent(event: RunEvent): void;
  /** The report of the run: failed when `error` is given. */
  finish(error?: unknown): RunReport;
}

export function createRunRecorder(now: () => number = Date.now): RunRecorder {
  const started = now();
  const tables: TableSummary[] = [];
  let databases: { source?: string; target?: string } = {};
  let cutover: { cutoverSeconds?: number } = {};
  return {
    onEvent(event) {
      if (event.type === 'start') databases = { source: event.source, target: event.target };
      if (event.type === 'table-done') tables.push(event.summary);
      if (event.type === 'done' && event.summary.cutoverSeconds !== undefined)
        cutover = { cutoverSeconds: event.summary.cutoverSeconds };
    },
    finish(error) {
      const finished = now();
      const outcome =
        error === undefined
          ? { status: 'ok' as const, exitCode: 0 }
          : { status: 'failed' as const, exitCode: exitCodeOf(error), error: reasonOf(error) };
      return {
        ...outcome,
        ...databases,
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date(finished).toISOString(),
        seconds: (finished - started) / 1000,
        ...cutover,
        rows: tables.reduce((n, t) => n + t.rows, 0),
        bytes: tables.reduce((n, t) => n + t.bytes, 0),
        tables: [...tables],
      };
    },
  };
}
