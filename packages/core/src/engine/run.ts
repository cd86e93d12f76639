import type { Rules } from '../config/rules.ts';
import type { Dialect, Loader, SnapshotReader } from '../dialects/dialect.ts';
import { engineOf, openDialect } from '../dialects/open-dialect.ts';
import { redactUrl } from '../dialects/redact-url.ts';
import { ConfigError, DatabaseError, MasqueError } from '../errors.ts';
import { guardTarget } from '../guard/production-guard.ts';
import type { RunListener, RunSummary, TableSummary } from './events.ts';
import { createBatchMasker, maskBatches, readRequest } from './mask-batch.ts';
import { prepareUniqueColumns } from './prepare-unique.ts';
import { planRun, type PlanOptions, type TablePlan } from './plan.ts';

export interface RunOptions extends PlanOptions {
  rules: Rules;
  onEvent?: RunListener;
}

/**
 * A full refresh: checks the rules against both live schemas, then streams every table from one
 * snapshot of the source through masking into the target, all or nothing. Nothing is written
 * unless every check passes first.
 */
export async function runRefresh({ rules, onEvent = () => {}, ...planOptions }: RunOptions): Promise<RunSummary> {
  const started = Date.now();
  const { source: sourceUrl, target: targetUrl } = requireUrls(rules);
  const dialects: Dialect[] = [];
  try {
    const source = await openDialect(sourceUrl).then((d) => (dialects.push(d), d));
    const target = await openDialect(targetUrl).then((d) => (dialects.push(d), d));
    await guardTarget(source, target, targetUrl, rules.protect);
    const plan = planRun(rules, await source.introspect(), await target.introspect(), planOptions);
    if (!rules.secret) onEvent({ type: 'warning', problem: { severity: 'warning', subject: 'secret', message: 'no secret: masked values are random and differ between runs' } });
    for (const problem of plan.warnings) onEvent({ type: 'warning', problem });
    onEvent({ type: 'start', source: redactUrl(sourceUrl), target: redactUrl(targetUrl), tables: plan.tables.length });

    const reader = await source.openSnapshot();
    const tables: TableSummary[] = [];
    let loader: Loader | undefined;
    try {
      await prepareUniqueColumns(plan, reader, onEvent);
      loader = await target.beginLoad(plan.loadTables);
      for (const table of plan.tables) tables.push(await copyTable(table, reader, loader, onEvent));
      onEvent({ type: 'commit' });
      await loader.commit();
      loader = undefined;
    } finally {
      await loader?.rollback();
      await reader.close();
    }
    const finished = Date.now();
    const summary: RunSummary = {
      startedAt: new Date(started).toISOString(), finishedAt: new Date(finished).toISOString(),
      seconds: (finished - started) / 1000, rows: tables.reduce((n, t) => n + t.rows, 0), bytes: tables.reduce((n, t) => n + t.bytes, 0), tables,
    };
    onEvent({ type: 'done', summary });
    return summary;
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
