import type { Dialect, SnapshotReader } from '../../dialects/dialect.ts';
import type { BoardPlan, ShardBoard } from '../../dialects/shard-board.ts';
import { ConfigError, RuntimeError } from '../../errors.ts';
import { abortableReader } from '../abort.ts';
import type { RunListener, TableSummary } from '../events.ts';
import { maskedColumnNames, type Plan } from '../plan.ts';
import { rulesDigest } from '../resume.ts';
import { closeWithin, type RunAbort } from '../run-abort.ts';
import type { RunOptions } from '../run.ts';
import type { ShardResult } from './coordinator.ts';
import { importRepairs, openRepairs, uniqueColumns } from './repairs.ts';
import { defaultLeaseSeconds, defaultPlanWaitSeconds, type ShardOptions } from './shard-options.ts';
import { type OwnUnit, pause, workUnits } from './unit-loop.ts';

/** How often a shard looks for shard 0's plan while it waits. */
const planPollMs = 500;

/**
 * A shard other than 0: waits for shard 0's plan, plans the run itself from the same rules (the
 * digests must match), then claims and stages units until none is left, reading shard 0's
 * snapshot. It takes no lock and makes no cut-over. A shard that starts after the run finished
 * has nothing to do. Its summary is its own units, per table.
 */
export async function workShard(
  source: Dialect,
  target: Dialect,
  planned: () => Promise<Plan>,
  options: RunOptions & { shard: ShardOptions },
  run: RunAbort,
): Promise<ShardResult> {
  const { rules, onEvent = () => {}, jobs = 1, shard } = options;
  if (!target.shardBoard || !source.joinSnapshot) {
    throw new ConfigError(`--shards: the ${source.engine} source cannot share its snapshot with other processes`);
  }
  const board = await run.watch(target.shardBoard());
  const connections: SnapshotReader[] = [];
  try {
    const found = await waitForPlan(board, shard, onEvent, run);
    if ('finishedAgo' in found) {
      const message =
        `the last run has finished (shard 0's cut-over committed ${Math.round(found.finishedAgo)} s ago) ` +
        `and no new plan came within ${found.waited} s: nothing to do`;
      onEvent({ type: 'warning', problem: { severity: 'warning', subject: 'shards', message } });
      return { tables: [] };
    }
    if (found.shards !== shard.count) {
      throw new ConfigError(
        `--shards ${shard.count}: shard 0 planned this run for ${found.shards} shards; give every shard the same N`,
      );
    }
    const plan = await planned();
    if (rulesDigest(rules, plan.tables) !== found.rulesDigest) {
      throw new ConfigError(
        "--shards: this shard's rules, secret, tables or masque version differ from shard 0's; " +
          'every shard must run the same image with the same rules file and secret',
      );
    }
    onEvent({ type: 'shard-plan', role: 'worker', shards: found.shards, units: found.units });
    const columns = uniqueColumns(plan);
    let repaired: Promise<void> | undefined;
    const repairs = (): Promise<void> => {
      repaired ??= board.repairs(found.planId).then((sealed) => {
        if (!sealed) throw new RuntimeError("--shards: shard 0's unique repairs are missing from its plan");
        importRepairs(columns, openRepairs(sealed, rules.secret!, found.planId));
      });
      return repaired;
    };
    // Joined at a loop's first unit: a shard that finds nothing left to do never needs the snapshot.
    const join = async (): Promise<SnapshotReader> => {
      const reader = abortableReader(await run.watch(source.joinSnapshot!(found.snapshotId)), run.signal);
      connections.push(reader);
      return reader;
    };
    const staged: OwnUnit[] = [];
    await workUnits(
      {
        board,
        planId: found.planId,
        shard: shard.index,
        leaseSeconds: shard.leaseSeconds ?? defaultLeaseSeconds,
        tables: new Map(plan.tables.map((t) => [t.target.name, t])),
        source,
        repairs,
        onEvent,
        run,
        staged,
      },
      jobs,
      join,
    );
    return { tables: ownTables(plan, staged, onEvent) };
  } finally {
    const closes = [...connections.map((r) => () => r.close()), () => board.close()];
    await Promise.all(closes.map((close) => closeWithin(close)));
  }
}

/**
 * Shard 0's open plan, once there is one whose coordinator is alive. A stale plan (its shard 0
 * died) is waited past: the restarted shard 0 publishes a new one. A finished plan may be this
 * shard's run, done before it started (a pod restarted late), or the last night's, before this
 * run's shard 0 has published: the shard waits for a new plan all the same, and when none comes,
 * there is nothing to do (`finishedAgo`). No plan at all within the wait is an error.
 */
async function waitForPlan(
  board: ShardBoard,
  shard: ShardOptions,
  onEvent: RunListener,
  run: RunAbort,
): Promise<BoardPlan | { finishedAgo: number; waited: number }> {
  const wait = shard.planWaitSeconds ?? defaultPlanWaitSeconds;
  const deadline = Date.now() + wait * 1000;
  let told = false;
  for (;;) {
    const plan = await run.watch(board.readPlan());
    if (plan?.status === 'open' && plan.coordinatorAlive) return plan;
    if (Date.now() >= deadline) {
      if (plan?.status === 'done') return { finishedAgo: plan.age, waited: wait };
      throw new RuntimeError(
        `--shards: no plan from shard 0 within ${wait} s (--plan-wait); shard 0 publishes it once it holds ` +
          "the target's run lock and the source snapshot: is it running, with the same target?",
      );
    }
    if (!told) onEvent({ type: 'shard-waiting', seconds: wait });
    told = true;
    await pause(run, planPollMs);
  }
}

/** This shard's units, summed per table in load order, each told as a table done. */
function ownTables(plan: Plan, staged: OwnUnit[], onEvent: RunListener): TableSummary[] {
  const tables: TableSummary[] = [];
  for (const table of plan.tables) {
    const units = staged.filter((u) => u.table === table);
    if (!units.length) continue;
    const summary: TableSummary = {
      table: table.source.name,
      rows: units.reduce((n, u) => n + u.rows, 0),
      bytes: units.reduce((n, u) => n + u.bytes, 0),
      seconds: units.reduce((n, u) => n + u.seconds, 0),
      skipped: false,
      maskedColumns: maskedColumnNames(table),
    };
    tables.push(summary);
    onEvent({ type: 'table-done', summary });
  }
  return tables;
}
