import { randomUUID } from 'node:crypto';
import type { Rules } from '../../config/rules.ts';
import type { SnapshotReader } from '../../dialects/dialect.ts';
import type { BoardPlanHeader, BoardShadow, BoardUnit, ShardBoard } from '../../dialects/shard-board.ts';
import type { Plan, TablePlan } from '../plan.ts';
import type { UniquePreparation } from '../prepare-unique.ts';
import { rulesDigest } from '../resume.ts';
import { planWorkUnits, type WorkUnit } from '../work-units.ts';

export interface PlanToPublish {
  shards: number;
  snapshotId: string;
  unitRows: number | undefined;
  rules: Rules;
  plan: Plan;
  /** Which tables wait for the unique scans: their units need the repairs first. */
  unique: UniquePreparation;
}

/**
 * Shard 0's plan for every shard: the work units of the tables to copy (`work`; big tables split
 * into key ranges read from `reader`'s snapshot, as `--jobs` splits them), a shadow for each table
 * (a child per part), and the header every shard checks itself against: the snapshot to join and
 * the digest of the rules and planned tables.
 */
export async function publishPlan(
  board: ShardBoard,
  work: TablePlan[],
  reader: SnapshotReader,
  { shards, snapshotId, unitRows, rules, plan, unique }: PlanToPublish,
): Promise<{ header: BoardPlanHeader; units: BoardUnit[] }> {
  const planned = await planWorkUnits(work, reader, true, unitRows);
  const units: BoardUnit[] = planned.map((unit, id) => ({
    id,
    table: unit.table.target.name,
    ...(unit.part && { part: unit.part }),
    needsRepairs: unique.waitsFor(unit.table),
  }));
  const header = { planId: randomUUID(), shards, snapshotId, rulesDigest: rulesDigest(rules, plan.tables) };
  const repairsReady = !work.some((t) => unique.waitsFor(t));
  await board.publish(header, units, shadowsOf(work, planned), repairsReady);
  return { header, units };
}

/** A shadow per table with units: split tables get a child per part. */
function shadowsOf(tables: TablePlan[], units: WorkUnit[]): BoardShadow[] {
  return tables.map((table) => {
    const parts = units.find((u) => u.table === table)?.part?.count;
    return { table: table.target, columns: table.columns.map((c) => c.name), ...(parts && { parts }) };
  });
}
