import type { Loader } from '../../dialects/dialect.ts';
import type { BoardUnit, ShardBoard, StagedUnit } from '../../dialects/shard-board.ts';
import type { RunListener, TableSummary } from '../events.ts';
import { maskedColumnNames, type TablePlan } from '../plan.ts';
import type { RunAbort } from '../run-abort.ts';
import { pause } from './unit-loop.ts';

/** How often shard 0 looks for units the shards staged. */
const pollMs = 250;

/** One table across the units of all shards. */
interface TableTally {
  plan: TablePlan;
  left: number;
  rows: number;
  bytes: number;
  claimedAt: number;
  stagedAt: number;
}

/**
 * Shard 0's view of the whole run: follows the units every shard stages (its own included), hands
 * each to the loader, which moves it into the cut-over as if written here, and says each table is
 * done — with the rows, bytes and time of all its units — once its last unit is staged. So shard
 * 0's events, `--report` and `--metrics` cover the whole run.
 */
export class StagedTracker {
  private readonly seen = new Set<number>();
  private readonly tallies = new Map<string, TableTally>();

  constructor(
    private readonly board: ShardBoard,
    private readonly planId: string,
    private readonly loader: Loader,
    tables: ReadonlyMap<string, TablePlan>,
    private readonly units: BoardUnit[],
    private readonly onEvent: RunListener,
    /** Each finished table's summary is added here. */
    private readonly done: TableSummary[],
  ) {
    for (const unit of units) {
      const tally = this.tallies.get(unit.table);
      if (tally) tally.left++;
      else {
        const plan = tables.get(unit.table)!;
        this.tallies.set(unit.table, { plan, left: 1, rows: 0, bytes: 0, claimedAt: Infinity, stagedAt: 0 });
      }
    }
  }

  /** Resolves once every unit of the plan is staged and adopted; bounded by the shards' leases. */
  async untilAllStaged(run: RunAbort): Promise<void> {
    while (this.seen.size < this.units.length) {
      const staged = await run.watch(this.board.staged(this.planId));
      for (const unit of staged) {
        if (this.seen.has(unit.id)) continue;
        this.seen.add(unit.id);
        await run.watch(this.adopt(unit));
      }
      if (this.seen.size < this.units.length) await pause(run, pollMs);
    }
  }

  private async adopt(unit: StagedUnit): Promise<void> {
    const tally = this.tallies.get(unit.table)!;
    tally.rows += unit.rows;
    tally.bytes += unit.bytes;
    tally.claimedAt = Math.min(tally.claimedAt, unit.claimedAt);
    tally.stagedAt = Math.max(tally.stagedAt, unit.stagedAt);
    const complete = --tally.left === 0;
    const { plan } = tally;
    const columns = plan.columns.map((c) => c.name);
    await this.loader.adopt!(
      { table: plan.target, columns, ...(unit.part && { part: unit.part }) },
      complete ? tally.rows : undefined,
    );
    if (!complete) return;
    const summary: TableSummary = {
      table: plan.source.name,
      rows: tally.rows,
      bytes: tally.bytes,
      seconds: Math.max(0, tally.stagedAt - tally.claimedAt),
      skipped: false,
      maskedColumns: maskedColumnNames(plan),
    };
    this.done.push(summary);
    this.onEvent({ type: 'table-done', summary });
  }
}

/** A `skip` table: no unit, no rows; the cut-over empties it. Said as the one-process run says it. */
export function skippedTable(plan: TablePlan, onEvent: RunListener): TableSummary {
  const summary: TableSummary = {
    table: plan.source.name,
    rows: 0,
    bytes: 0,
    seconds: 0,
    skipped: true,
    maskedColumns: maskedColumnNames(plan),
  };
  onEvent({ type: 'table-start', table: summary.table });
  onEvent({ type: 'table-done', summary });
  return summary;
}
