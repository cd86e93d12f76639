import type { Dialect, Loader, SnapshotReader } from '../../dialects/dialect.ts';
import type { ShardBoard } from '../../dialects/shard-board.ts';
import { ConfigError } from '../../errors.ts';
import { abortableReader, yieldToEvents } from '../abort.ts';
import { cutOver } from '../cut-over.ts';
import type { TableSummary } from '../events.ts';
import { openLoad, reusedTable } from '../open-load.ts';
import type { Plan } from '../plan.ts';
import { UniquePreparation } from '../prepare-unique.ts';
import { closeWithin, type RunAbort } from '../run-abort.ts';
import type { RunOptions } from '../run.ts';
import { publishPlan } from './publish-plan.ts';
import { exportRepairs, sealRepairs, uniqueColumns } from './repairs.ts';
import { defaultLeaseSeconds, type ShardOptions } from './shard-options.ts';
import { skippedTable, StagedTracker } from './staged-tracker.ts';
import { workUnits } from './unit-loop.ts';

/** What a shard's part of the run comes to: its tables (shard 0: all of them) and the cut-over's time. */
export interface ShardResult {
  tables: TableSummary[];
  cutoverSeconds?: number;
}

/**
 * Shard 0's load, under the run lock, in place of the one-process load: opens the source snapshot
 * and keeps it open for every shard; opens the staged load (a resume decides what is reused, as
 * for one process); plans the work units and the shadows; publishes the plan; scans the unique
 * columns and publishes their repairs; works units itself while it follows those of the others
 * into the cut-over; once every unit is staged, closes the snapshot and makes the one cut-over.
 */
export async function coordinateShards(
  source: Dialect,
  target: Dialect,
  plan: Plan,
  options: RunOptions & { shard: ShardOptions },
  run: RunAbort,
): Promise<ShardResult> {
  const { rules, onEvent = () => {}, resume = false, jobs = 1, unitRows, shard } = options;
  const tables: TableSummary[] = [];
  const order = new Map(plan.tables.map((t, i) => [t.source.name, i]));
  const unchanged = (): string => {
    const staged = tables.filter((t) => !t.skipped).length;
    return `the target is unchanged${staged ? `; ${staged} staged table(s) kept for \`masque run --resume\`` : ''}`;
  };
  const opened = await run.watch(source.openSnapshot());
  const reader = abortableReader(opened, run.signal);
  const connections: SnapshotReader[] = [reader];
  let loader: Loader | undefined;
  let board: ShardBoard | undefined;
  let committing: Promise<void> | undefined;
  try {
    const { snapshotId } = opened;
    if (!snapshotId || !reader.share || !target.shardBoard) {
      throw new ConfigError(`--shards: the ${source.engine} source cannot share its snapshot with other processes`);
    }
    const share = async (): Promise<SnapshotReader> => {
      const shared = await run.watch(reader.share!());
      connections.push(shared);
      return shared;
    };
    loader = await run.watch(openLoad(target, reader, plan, rules, { mode: 'staged', resume }, onEvent));
    if (!loader.adopt) throw new ConfigError(`--shards: the ${target.engine} load cannot take rows staged elsewhere`);
    const reused = loader.reused;
    for (const table of plan.tables) {
      const rows = reused.get(table.target.name);
      if (rows !== undefined) tables.push(reusedTable(table, rows, onEvent));
    }
    const todo = plan.tables.filter((t) => !reused.has(t.target.name));
    for (const table of todo.filter((t) => t.skip)) tables.push(skippedTable(table, onEvent));
    const work = todo.filter((t) => !t.skip);
    board = await run.watch(target.shardBoard());
    const unique = new UniquePreparation(plan, source, onEvent);
    const needing = work.filter((t) => unique.waitsFor(t));
    const { header, units } = await run.watch(
      publishPlan(board, work, reader, { shards: shard.count, snapshotId, unitRows, rules, plan, unique }),
    );
    onEvent({ type: 'shard-plan', role: 'coordinator', shards: shard.count, units: units.length });

    // The unique scans on a connection of their own, while the units that do not need them go on.
    const publishRepairs = async (onBoard: ShardBoard): Promise<void> => {
      if (!needing.length) return;
      const scanner = await share();
      for (const table of needing) await unique.ready(table, scanner);
      const sealed = sealRepairs(exportRepairs(uniqueColumns(plan)), rules.secret!, header.planId);
      await onBoard.publishRepairs(header.planId, sealed);
    };
    const byName = new Map(plan.tables.map((t) => [t.target.name, t]));
    const tracker = new StagedTracker(board, header.planId, loader, byName, units, onEvent, tables);
    await Promise.all([
      run.watch(publishRepairs(board)),
      workUnits(
        {
          board,
          planId: header.planId,
          shard: shard.index,
          leaseSeconds: shard.leaseSeconds ?? defaultLeaseSeconds,
          tables: byName,
          source,
          // Shard 0's own columns hold the repairs: it made them.
          repairs: async () => {},
          onEvent,
          run,
          staged: [],
        },
        jobs,
        // Readers of their own: the snapshot's exporting connection must outlive any unit given up.
        share,
      ),
      tracker.untilAllStaged(run),
    ]);
    tables.sort((a, b) => order.get(a.table)! - order.get(b.table)!);
    await yieldToEvents();
    run.signal.throwIfAborted();
    unique.finish();
    // Every unit is staged: the snapshot, which held production for every shard, ends now.
    await Promise.all([
      ...connections.splice(0).map((r) => closeWithin(() => r.close())),
      closeWithin(() => source.close()),
    ]);
    onEvent({ type: 'commit' });
    const switching = Date.now();
    committing = cutOver(loader, run, unchanged());
    loader = undefined;
    await committing;
    const cutoverSeconds = (Date.now() - switching) / 1000;
    // For shards that start after the end; the refresh is done whether this is written or not.
    await board.finish(header).catch((error: unknown) => {
      const message = `the refresh is done, but the plan could not be marked finished: ${(error as Error).message}`;
      onEvent({ type: 'warning', problem: { severity: 'warning', subject: 'shards', message } });
    });
    return { tables, cutoverSeconds };
  } catch (error) {
    throw committing ? error : run.outcome(error, unchanged());
  } finally {
    const rollback = loader && (() => loader!.rollback());
    const closes = [rollback, ...connections.map((r) => () => r.close()), board && (() => board!.close())];
    await Promise.all(closes.map((close) => close && closeWithin(close)));
  }
}
