import type { Rules } from '../config/rules.ts';
import type { Dialect, LoadMode, Loader, SnapshotReader } from '../dialects/dialect.ts';
import { redactUrl } from '../dialects/database-url.ts';
import { guardTarget } from '../guard/production-guard.ts';
import { abortableReader, abortError, RunAborted, yieldToEvents } from './abort.ts';
import type { RunListener, RunSummary, TableSummary } from './events.ts';
import { copyUnits } from './copy-units.ts';
import { databaseUrls, withDatabases } from './open-databases.ts';
import { openLoad, reusedTable } from './open-load.ts';
import { prepareTransformers } from './prepare-transformers.ts';
import { UniquePreparation } from './prepare-unique.ts';
import { planRun, type Plan, type PlanOptions } from './plan.ts';
import { planWorkUnits } from './work-units.ts';
import { acquireRunLock } from './run-lock.ts';

export interface RunOptions extends PlanOptions {
  rules: Rules;
  onEvent?: RunListener;
  /** `staged` (default): shadow copy, then one cut-over; resumable. `direct`: one transaction into the tables. */
  mode?: LoadMode;
  /** Reuse the tables an interrupted staged run finished, if the source and the rules are unchanged. */
  resume?: boolean;
  /** How long to wait for another run's lock on the target before giving up; default 0. */
  waitSeconds?: number;
  /** Stops the run: nothing of it reaches the target's tables, the lock is released. */
  signal?: AbortSignal;
  /** Work units copied at once, each on its own source connection (where the source can share
   *  its snapshot; otherwise one). Default 1. */
  jobs?: number;
  /** Rows per work unit when a big table is split into key ranges (default 250,000). */
  unitRows?: number;
}

/**
 * A full refresh: checks the rules against both live schemas, then streams every table from one
 * snapshot of the source through masking into the target, all or nothing. Nothing is written
 * unless every check passes first.
 */
export async function runRefresh(options: RunOptions): Promise<RunSummary> {
  // What is left after the run's own options is the plan's.
  const { rules, onEvent = () => {}, waitSeconds = 0, signal, mode, resume, jobs, unitRows, ...planOptions } = options;
  const started = Date.now();
  const urls = databaseUrls(rules, 'required');
  try {
    return await withDatabases(urls, async (source, target) => {
      await guardTarget(source, target, urls.target, rules.protect);
      const prepared = await prepareTransformers(rules);
      const plan = planRun(rules, await source.introspect(), await target.introspect(), { ...planOptions, prepared });
      if (!rules.secret) {
        const message = 'no secret: masked values are random and differ between runs';
        onEvent({ type: 'warning', problem: { severity: 'warning', subject: 'secret', message } });
      }
      for (const problem of plan.warnings) onEvent({ type: 'warning', problem });
      const [from, to] = [redactUrl(urls.source), redactUrl(urls.target)];
      onEvent({ type: 'start', source: from, target: to, tables: plan.tables.length });

      // One run at a time per target, from before the snapshot to after the cut-over.
      const releaseLock = await acquireRunLock(target, to, waitSeconds, signal);
      const { tables, cutoverSeconds } = await load(source, target, plan, options).finally(releaseLock);
      const finished = Date.now();
      const summary: RunSummary = {
        startedAt: new Date(started).toISOString(),
        finishedAt: new Date(finished).toISOString(),
        seconds: (finished - started) / 1000,
        rows: tables.reduce((n, t) => n + t.rows, 0),
        bytes: tables.reduce((n, t) => n + t.bytes, 0),
        cutoverSeconds,
        tables,
      };
      onEvent({ type: 'done', summary });
      return summary;
    });
  } catch (error) {
    throw signal?.aborted && !(error instanceof RunAborted) ? abortError(signal, 'nothing was written') : error;
  }
}

interface Loaded {
  /** In load order. */
  tables: TableSummary[];
  cutoverSeconds: number;
}

/** The load, under the run lock: every table from one snapshot of the source into the target, and the commit. */
async function load(source: Dialect, target: Dialect, plan: Plan, options: RunOptions): Promise<Loaded> {
  const { rules, onEvent = () => {}, mode = 'staged', resume = false, signal, jobs = 1, unitRows } = options;
  const tables: TableSummary[] = [];
  const order = new Map(plan.tables.map((t, i) => [t.source.name, i]));
  const reader = abortableReader(await source.openSnapshot(), signal);
  const readers = [reader];
  const connections = [reader]; // every reader to close: the jobs' and the unique scans'
  let loader: Loader | undefined;
  try {
    const share = async (): Promise<SnapshotReader> => {
      const shared = await reader.share!();
      connections.push(shared);
      return shared;
    };
    while (readers.length < jobs && reader.share) readers.push(await share());
    loader = await openLoad(target, reader, plan, rules, { mode, resume }, onEvent);
    const reused = loader.reused;
    for (const table of plan.tables) {
      const rows = reused.get(table.target.name);
      if (rows !== undefined) tables.push(reusedTable(table, rows, onEvent));
    }
    // Parts pay off with parallel jobs, and in a staged load, where each part moves into the
    // cut-over transaction as soon as it is staged.
    const split = readers.length > 1 || mode === 'staged';
    const units = await planWorkUnits(
      plan.tables.filter((t) => !reused.has(t.target.name)),
      reader,
      split,
      unitRows,
    );
    const unique = new UniquePreparation(plan, onEvent);
    // Where the snapshot can be shared, the unique scans get a connection of their own and
    // run while the tables that do not need them copy.
    if (reader.share) unique.startAll(await share());
    await copyUnits(units, source, readers, loader, unique, onEvent, tables);
    // In load order, whatever order the jobs finished in.
    tables.sort((a, b) => order.get(a.table)! - order.get(b.table)!);
    await yieldToEvents();
    signal?.throwIfAborted();
    onEvent({ type: 'commit' });
    const switching = Date.now();
    await loader.commit(signal);
    const cutoverSeconds = (Date.now() - switching) / 1000;
    loader = undefined;
    return { tables, cutoverSeconds };
  } catch (error) {
    const staged = tables.filter((t) => !t.skipped).length;
    const kept = mode === 'staged' && staged ? `; ${staged} staged table(s) kept for \`masque run --resume\`` : '';
    throw signal?.aborted ? abortError(signal, `the target is unchanged${kept}`) : error;
  } finally {
    await loader?.rollback();
    await Promise.all(connections.map((r) => r.close()));
  }
}
