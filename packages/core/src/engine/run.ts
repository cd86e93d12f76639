import type { Rules } from '../config/rules.ts';
import type { Dialect, LoadMode, Loader, SnapshotReader } from '../dialects/dialect.ts';
import { engineOf, openDialect } from '../dialects/open-dialect.ts';
import { redactUrl } from '../dialects/redact-url.ts';
import { ConfigError, DatabaseError, MasqueError } from '../errors.ts';
import { guardTarget } from '../guard/production-guard.ts';
import { abortableReader, abortError, RunAborted, yieldToEvents } from './abort.ts';
import type { RunListener, RunSummary, TableSummary } from './events.ts';
import { createBatchMasker, maskBatches, readRequest } from './mask-batch.ts';
import { openLoad, reusedTable } from './open-load.ts';
import { prepareTransformers } from './prepare-transformers.ts';
import { prepareUniqueColumns } from './prepare-unique.ts';
import { planRun, type PlanOptions, type TablePlan } from './plan.ts';
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
}

/**
 * A full refresh: checks the rules against both live schemas, then streams every table from one
 * snapshot of the source through masking into the target, all or nothing. Nothing is written
 * unless every check passes first.
 */
export async function runRefresh(options: RunOptions): Promise<RunSummary> {
  const { rules, onEvent = () => {}, mode = 'staged', resume = false, waitSeconds = 0, signal, ...planOptions } = options;
  const started = Date.now();
  const { source: sourceUrl, target: targetUrl } = requireUrls(rules);
  const dialects: Dialect[] = [];
  try {
    const source = await openDialect(sourceUrl).then((d) => (dialects.push(d), d));
    const target = await openDialect(targetUrl).then((d) => (dialects.push(d), d));
    await guardTarget(source, target, targetUrl, rules.protect);
    const prepared = await prepareTransformers(rules);
    const plan = planRun(rules, await source.introspect(), await target.introspect(), { ...planOptions, prepared });
    if (!rules.secret) onEvent({ type: 'warning', problem: { severity: 'warning', subject: 'secret', message: 'no secret: masked values are random and differ between runs' } });
    for (const problem of plan.warnings) onEvent({ type: 'warning', problem });
    onEvent({ type: 'start', source: redactUrl(sourceUrl), target: redactUrl(targetUrl), tables: plan.tables.length });

    // One run at a time per target, from before the snapshot to after the cut-over.
    const releaseLock = await acquireRunLock(target, redactUrl(targetUrl), waitSeconds, signal);
    const tables: TableSummary[] = [];
    let cutoverSeconds = 0;
    try {
      const reader = abortableReader(await source.openSnapshot(), signal);
      let loader: Loader | undefined;
      try {
        await prepareUniqueColumns(plan, reader, onEvent);
        loader = await openLoad(target, reader, plan, rules, { mode, resume }, onEvent);
        for (const table of plan.tables) {
          const reused = loader.reused.get(table.target.name);
          tables.push(reused === undefined ? await copyTable(table, reader, loader, onEvent) : reusedTable(table, reused, onEvent));
        }
        await yieldToEvents();
        signal?.throwIfAborted();
        onEvent({ type: 'commit' });
        const switching = Date.now();
        await loader.commit(signal);
        cutoverSeconds = (Date.now() - switching) / 1000;
        loader = undefined;
      } catch (error) {
        const staged = tables.filter((t) => !t.skipped).length;
        const kept = mode === 'staged' && staged ? `; ${staged} staged table(s) kept for \`masque run --resume\`` : '';
        throw signal?.aborted ? abortError(signal, `the target is unchanged${kept}`) : error;
      } finally {
        await loader?.rollback();
        await reader.close();
      }
    } finally {
      await releaseLock();
    }
    const finished = Date.now();
    const summary: RunSummary = {
      startedAt: new Date(started).toISOString(), finishedAt: new Date(finished).toISOString(),
      seconds: (finished - started) / 1000, rows: tables.reduce((n, t) => n + t.rows, 0), bytes: tables.reduce((n, t) => n + t.bytes, 0), cutoverSeconds, tables,
    };
    onEvent({ type: 'done', summary });
    return summary;
  } catch (error) {
    throw signal?.aborted && !(error instanceof RunAborted) ? abortError(signal, 'nothing was written') : error;
  } finally {
    await Promise.all(dialects.map((d) => d.close()));
  }
}

function requireUrls(rules: Rules): { source: string; target: string } {
  if (!rules.source) throw new ConfigError('no source database: set `source:` in the rules or pass --source');
  if (!rules.target) throw new ConfigError('no target database: set `target:` in the rules or pass --target');
  if (engineOf(rules.source) !== engineOf(rules.target)) {
    throw new ConfigError(`source and target must be the same engine (${engineOf(rules.source)} vs ${engineOf(rules.target)})`);
  }
  return { source: rules.source, target: rules.target };
}

async function copyTable(plan: TablePlan, reader: SnapshotReader, loader: Loader, onEvent: RunListener): Promise<TableSummary> {
  const started = Date.now();
  const name = plan.source.name;
  const maskedColumns = plan.columns.filter((c) => c.transform || c.condition).map((c) => c.name);
  onEvent({ type: 'table-start', table: name, ...(plan.source.estimatedRows !== undefined && { estimatedRows: plan.source.estimatedRows }) });
  let rows = 0;
  let bytes = 0;
  if (!plan.skip) {
    const columns = plan.columns.map((c) => c.name);
    const batches = maskBatches(reader.read(readRequest(plan)), createBatchMasker(plan), (n, size) => {
      rows += n;
      bytes += size;
      onEvent({ type: 'table-progress', table: name, rows, bytes });
    });
    try {
      rows = await loader.write({ table: plan.target, columns }, batches);
    } catch (error) {
      if (error instanceof MasqueError) throw error;
      throw new DatabaseError(`copying ${name}: ${(error as Error).message}`, { cause: error });
    }
  }
  const summary: TableSummary = { table: name, rows, bytes, seconds: (Date.now() - started) / 1000, skipped: plan.skip, maskedColumns };
  onEvent({ type: 'table-done', summary });
  return summary;
}
