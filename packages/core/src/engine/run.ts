import type { Rules } from '../config/rules.ts';
import { ConfigError } from '../errors.ts';
import type { Dialect, LoadMode, Loader, SnapshotReader } from '../dialects/dialect.ts';
import { redactUrl } from '../dialects/database-url.ts';
import { guardTarget } from '../guard/production-guard.ts';
import { abortableReader, RunAborted, yieldToEvents } from './abort.ts';
import type { RunListener, RunSummary, TableSummary } from './events.ts';
import { copyUnits } from './copy-units.ts';
import { createTargetSchema } from './create-schema.ts';
import { cutOver } from './cut-over.ts';
import { databaseUrls, withDatabases } from './open-databases.ts';
import { openLoad, reusedTable } from './open-load.ts';
import { prepareTransformers } from './prepare-transformers.ts';
import { UniquePreparation } from './prepare-unique.ts';
import { planRun, type Plan, type PlanOptions } from './plan.ts';
import { planWorkUnits } from './work-units.ts';
import { closeWithin, RunAbort } from './run-abort.ts';
import { acquireRunLock } from './run-lock.ts';
import { computeSubset, type Subset } from './subset/compute-subset.ts';
import { coordinateShards } from './shards/coordinator.ts';
import { checkShards, type ShardOptions } from './shards/shard-options.ts';
import { workShard } from './shards/worker.ts';

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
  /** Stops the run after this many seconds, as `signal` would (`--timeout`); default: no limit. */
  timeoutSeconds?: number;
  /** Longest wait of a statement on the target for another session's lock (`--lock-timeout`);
   *  the dialect's default when missing. */
  lockTimeoutSeconds?: number;
  /** A target holding none of the source's tables gets the source's schema first (`--create-schema`). */
  createSchema?: boolean;
  /** One of several processes sharing this run (`--shards`, docs/scale-out.md); shard 0 coordinates. */
  shard?: ShardOptions;
}

/**
 * A full refresh: checks the rules against both live schemas, then streams every table from one
 * snapshot of the source through masking into the target, all or nothing. Nothing is written
 * unless every check passes first.
 */
export async function runRefresh(options: RunOptions): Promise<RunSummary> {
  // What is left after the run's own options is the plan's.
  const {
    rules,
    onEvent: listener = () => {},
    waitSeconds = 0,
    signal,
    mode,
    resume,
    jobs,
    unitRows,
    timeoutSeconds,
    lockTimeoutSeconds,
    createSchema = false,
    shard,
    ...planOptions
  } = options;
  const started = Date.now();
  const urls = databaseUrls(rules, 'required');
  if (shard) checkShards(shard, rules, urls.source, mode ?? 'staged');
  if (shard && rules.subset) throw new ConfigError('--shards: a subset (subset:) is chosen and copied by one process');
  const run = new RunAbort(signal, timeoutSeconds);
  // A part left behind by an abort (a read pending on a dead connection) says nothing after the end.
  let ended = false;
  const onEvent: RunListener = (event) => {
    if (!ended) listener(event);
  };
  try {
    const refresh = async (source: Dialect, target: Dialect): Promise<RunSummary> => {
      // A connection lost while nothing waits on it (the lock's, an idle snapshot's) ends the run too.
      for (const database of [source, target]) database.onLost?.((loss) => run.fail(loss));
      await run.watch(guardTarget(source, target, urls.target, rules.protect));
      const prepared = await prepareTransformers(rules);
      const [from, to] = [redactUrl(urls.source), redactUrl(urls.target)];
      const planned = async (): Promise<Plan> => {
        const schemas = await run.watch(Promise.all([source.introspect(), target.introspect()]));
        const plan = planRun(rules, ...schemas, { ...planOptions, prepared });
        if (!rules.secret) {
          const message = 'no secret: masked values are random and differ between runs';
          onEvent({ type: 'warning', problem: { severity: 'warning', subject: 'secret', message } });
        }
        for (const problem of plan.warnings) onEvent({ type: 'warning', problem });
        onEvent({ type: 'start', source: from, target: to, tables: plan.tables.length });
        return plan;
      };
      // Shards other than 0 take no lock and plan once shard 0 has published (after creating the schema).
      if (shard && shard.index > 0) {
        return finish(await workShard(source, target, planned, { ...options, onEvent, shard }, run));
      }
      // One run at a time per target, from before the snapshot to after the cut-over; from before
      // the schema is created when it may be, so that two runs never create it both.
      const lock = (): Promise<() => Promise<void>> => run.watch(acquireRunLock(target, to, waitSeconds, run.signal));
      let releaseLock = createSchema ? await lock() : undefined;
      try {
        if (createSchema) {
          const creation = await run.watch(createTargetSchema(source, target, urls.source));
          if (creation.created) onEvent({ type: 'schema-created', tables: creation.tables });
        }
        const plan = await planned();
        releaseLock ??= await lock();
        const loaded = shard
          ? coordinateShards(source, target, plan, { ...options, onEvent, shard }, run)
          : load(source, target, plan, { ...options, onEvent }, run);
        return finish(await loaded);
      } finally {
        if (releaseLock) await closeWithin(releaseLock);
      }
    };
    const finish = ({ tables, cutoverSeconds }: Loaded): RunSummary => {
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
    };
    return await withDatabases(urls, refresh, { lockTimeoutSeconds, ...(createSchema && { create: true }) });
  } catch (error) {
    // The load says what the target holds when it was stopped.
    throw error instanceof RunAborted ? error : run.outcome(error, 'nothing was written');
  } finally {
    ended = true;
    run.dispose();
  }
}

interface Loaded {
  /** In load order. */
  tables: TableSummary[];
  /** Missing for a shard other than 0: it makes no cut-over. */
  cutoverSeconds?: number;
}

/**
 * The load, under the run lock: every table from one snapshot of the source into the target, and
 * the commit. Every wait on a server is watched by `run`, so that the first failure anywhere ends
 * the load at once; then the load is rolled back and every connection closed, none of them waited
 * on for more than a few seconds.
 */
async function load(source: Dialect, target: Dialect, plan: Plan, options: RunOptions, run: RunAbort): Promise<Loaded> {
  const { rules, onEvent = () => {}, mode = 'staged', resume = false, jobs = 1, unitRows } = options;
  const tables: TableSummary[] = [];
  const order = new Map(plan.tables.map((t, i) => [t.source.name, i]));
  const unchanged = (): string => {
    const staged = tables.filter((t) => !t.skipped).length;
    const kept = mode === 'staged' && staged ? `; ${staged} staged table(s) kept for \`masque run --resume\`` : '';
    return `the target is unchanged${kept}`;
  };
  const reader = abortableReader(await run.watch(source.openSnapshot()), run.signal);
  const readers = [reader];
  const connections = [reader]; // every reader to close: the jobs' and the unique scans'
  let loader: Loader | undefined;
  let committing: Promise<void> | undefined;
  let subset: Subset | undefined;
  try {
    const share = async (): Promise<SnapshotReader> => {
      const shared = await run.watch(reader.share!());
      connections.push(shared);
      return shared;
    };
    while (readers.length < jobs && reader.share) readers.push(await share());
    loader = await run.watch(openLoad(target, reader, plan, rules, { mode, resume }, onEvent));
    // `subset:` chooses its rows in this snapshot first; then every read of a table it keeps some
    // rows of, the copy's and the unique scans', reads only those (engine/subset/).
    if (rules.subset) subset = await run.watch(computeSubset(plan, rules.subset, rules.secret, reader, onEvent));
    const within = (r: SnapshotReader): SnapshotReader => subset?.reader(r) ?? r;
    const planned = subset?.annotate(plan.tables) ?? plan.tables;
    const reused = loader.reused;
    for (const table of planned) {
      const rows = reused.get(table.target.name);
      if (rows !== undefined) tables.push(reusedTable(table, rows, onEvent));
    }
    // Parts pay off with parallel jobs, and in a staged load, where each part moves into the
    // cut-over transaction as soon as it is staged.
    const split = readers.length > 1 || mode === 'staged';
    const todo = planned.filter((t) => !reused.has(t.target.name));
    const units = await run.watch(planWorkUnits(todo, within(reader), split, unitRows));
    const unique = new UniquePreparation(plan, source, onEvent);
    unique.prepareWhileCopying(units, loader);
    // Where the snapshot can be shared, the unique scans get a connection of their own and
    // run while the tables that do not need them copy.
    if (reader.share && unique.scanning) unique.startAll(within(await share()), run);
    await copyUnits(units, source, readers.map(within), loader, unique, onEvent, tables, run);
    // In load order, whatever order the jobs finished in.
    tables.sort((a, b) => order.get(a.table)! - order.get(b.table)!);
    await yieldToEvents();
    run.signal.throwIfAborted();
    unique.finish();
    // Every row is read: the source's snapshot and connections end before the cut-over, so
    // production is held no longer than the copy needs it.
    await Promise.all([
      ...connections.splice(0).map((r) => closeWithin(() => r.close())),
      closeWithin(() => source.close()),
    ]);
    onEvent({ type: 'commit' });
    const switching = Date.now();
    // From here the loader is the cut-over's, which rolls back itself and says what the target holds.
    committing = cutOver(loader, run, unchanged());
    loader = undefined;
    await committing;
    return { tables, cutoverSeconds: (Date.now() - switching) / 1000 };
  } catch (error) {
    throw committing ? error : run.outcome(error, unchanged());
  } finally {
    const rollback = loader && (() => loader!.rollback());
    const closes = [rollback, ...connections.map((r) => () => r.close())];
    await Promise.all(closes.map((close) => close && closeWithin(close)));
    subset?.close();
  }
}
