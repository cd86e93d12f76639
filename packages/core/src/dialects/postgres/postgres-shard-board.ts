import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { DatabaseError } from '../../errors.ts';
import type { Batch } from '../dialect.ts';
import type {
  BoardPlan,
  BoardPlanHeader,
  BoardShadow,
  BoardUnit,
  Claim,
  ClaimedUnit,
  ShardBoard,
  StagedUnit,
} from '../shard-board.ts';
import { copyIn } from './postgres-copy-in.ts';
import type { PgConnections } from './postgres-driver.ts';
import {
  claimSql,
  claimStateSql,
  createPlanSql,
  createUnitsSql,
  holdsRunLockSql,
  holdsSql,
  insertUnitsSql,
  markStagedSql,
  planTable,
  readPlanSql,
  renewSql,
  runLockHolderSql,
  stagedUnitsSql,
  type UnitRow,
  unitsTable,
} from './postgres-shard-sql.ts';
import { createPartShadows, createShadow, shadowOf, shadowSchema } from './postgres-staging.ts';

/** SQLSTATEs of a table or schema that is not there (yet, or any more): no plan. */
const missing = new Set(['42P01', '3F000']);

/**
 * The shard board in a PostgreSQL target (postgres-shard-sql.ts has its tables). Claims, leases
 * and reads go through one control connection; each unit is staged on a connection of its own,
 * in one transaction that empties its shadow, fills it with COPY and marks it staged — only if
 * the lease is still this shard's, so a shard that lost it commits nothing.
 */
export class PostgresShardBoard implements ShardBoard {
  /** Connections free for staging a unit; more are opened while all are busy. */
  private readonly idle: pg.Client[] = [];
  /** Per plan seen, shard 0's lock session: still there after its cut-over dropped the plan. */
  private readonly coordinators = new Map<string, number>();

  private constructor(
    private readonly control: pg.Client,
    private readonly connections: PgConnections,
  ) {}

  static async open(connections: PgConnections): Promise<PostgresShardBoard> {
    return new PostgresShardBoard(await connections.connect(), connections);
  }

  async publish(header: BoardPlanHeader, units: BoardUnit[], shadows: BoardShadow[], ready: boolean): Promise<void> {
    const db = this.control;
    for (const { table, columns, parts } of shadows) {
      if (parts) await createPartShadows(db, table, columns, parts);
      else await createShadow(db, table, columns);
    }
    const holder = await db.query<{ pid: number }>(runLockHolderSql);
    const pid = holder.rows[0]?.pid;
    if (pid === undefined) throw new DatabaseError("publishing the shards' plan: this run does not hold the run lock");
    await inTransaction(db, async () => {
      await db.query(`DROP TABLE IF EXISTS ${planTable}, ${unitsTable}`);
      await db.query(createPlanSql);
      await db.query(createUnitsSql);
      const column = <T>(pick: (u: BoardUnit) => T) => units.map(pick);
      await db.query(insertUnitsSql, [
        column((u) => u.id),
        column((u) => u.table),
        column((u) => u.part?.index ?? null),
        column((u) => u.part?.count ?? null),
        column((u) => u.part?.range.column ?? null),
        column((u) => u.part?.range.from?.toString() ?? null),
        column((u) => u.part?.range.to?.toString() ?? null),
        column((u) => u.needsRepairs),
      ]);
      await db.query(
        `INSERT INTO ${planTable} (plan_id, shards, snapshot_id, rules_digest, coordinator_pid, status, unit_count,
           repairs_ready, published_at) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, clock_timestamp())`,
        [header.planId, header.shards, header.snapshotId, header.rulesDigest, pid, units.length, ready],
      );
    });
  }

  async publishRepairs(planId: string, sealed: Buffer): Promise<void> {
    await this.control.query(`UPDATE ${planTable} SET repairs = $2, repairs_ready = true WHERE plan_id = $1`, [
      planId,
      sealed,
    ]);
  }

  async readPlan(): Promise<BoardPlan | undefined> {
    try {
      const { rows } = await this.control.query<PlanRow>(readPlanSql);
      const row = rows[0];
      if (!row) return undefined;
      if (row.status === 'open') this.coordinators.set(row.plan_id, row.coordinator_pid);
      return {
        planId: row.plan_id,
        shards: row.shards,
        snapshotId: row.snapshot_id,
        rulesDigest: row.rules_digest,
        status: row.status === 'done' ? 'done' : 'open',
        repairsReady: row.repairs_ready,
        age: row.age,
        coordinatorAlive: row.alive,
        units: row.unit_count,
      };
    } catch (error) {
      // Shard 0 has not made the staging area yet, or is making it anew.
      if (missing.has((error as { code?: string }).code ?? '')) return undefined;
      throw error;
    }
  }

  async repairs(planId: string): Promise<Buffer | undefined> {
    const { rows } = await this.control.query<{ repairs: Buffer | null }>(
      `SELECT repairs FROM ${planTable} WHERE plan_id = $1`,
      [planId],
    );
    return rows[0]?.repairs ?? undefined;
  }

  async claim(planId: string, shard: number, leaseSeconds: number): Promise<Claim> {
    try {
      return await this.claimFrom(planId, shard, leaseSeconds);
    } catch (error) {
      if (!missing.has((error as { code?: string }).code ?? '')) throw error;
      return this.afterStagingGone(planId);
    }
  }

  /**
   * The plan's tables are gone. Shard 0 drops them in its cut-over, once every unit is staged, and
   * marks the plan done just after: when it has, or while it is still there, nothing is left to do.
   * Otherwise shard 0 is gone as well, before or after its commit: the run cannot be told done.
   */
  private async afterStagingGone(planId: string): Promise<Claim> {
    const plan = await this.readPlan();
    if (plan?.planId === planId && plan.status === 'done') return { kind: 'all-staged' };
    const pid = this.coordinators.get(planId);
    const holder = pid === undefined ? undefined : await this.control.query<{ alive: boolean }>(holdsRunLockSql, [pid]);
    if (holder?.rows[0]?.alive) return { kind: 'all-staged' };
    return { kind: 'gone', reason: "shard 0's staging area is gone, and shard 0 with it" };
  }

  private async claimFrom(planId: string, shard: number, leaseSeconds: number): Promise<Claim> {
    const token = randomUUID();
    const claimed = await this.control.query<UnitRow & { attempts: number }>(claimSql, [
      planId,
      shard,
      token,
      leaseSeconds,
    ]);
    const row = claimed.rows[0];
    if (row) return { kind: 'unit', unit: { ...unitOf(row), token, attempt: row.attempts } };
    const { rows } = await this.control.query<{ status: string; alive: boolean; left: number }>(claimStateSql, [
      planId,
    ]);
    const state = rows[0];
    if (!state) return { kind: 'gone', reason: 'shard 0 replaced the plan this shard worked on' };
    if (state.status === 'done' || state.left === 0) return { kind: 'all-staged' };
    if (!state.alive) return { kind: 'gone', reason: 'shard 0 (the coordinator) stopped' };
    return { kind: 'wait' };
  }

  async renew(unit: ClaimedUnit, leaseSeconds: number): Promise<boolean> {
    const { rowCount } = await this.control.query(renewSql, [unit.id, unit.token, leaseSeconds]);
    return rowCount === 1;
  }

  async stage(
    unit: ClaimedUnit,
    shadow: BoardShadow,
    batches: AsyncIterable<Batch>,
    bytes: () => number,
  ): Promise<number | undefined> {
    const client = this.idle.pop() ?? (await this.connections.connect());
    try {
      await client.query('BEGIN');
      // Checked first, so that a shard whose lease ran out does not wait on the shadow's lock.
      const held = await client.query(holdsSql, [unit.id, unit.token]);
      if (held.rowCount !== 1) return await rollback(client);
      const relation = unit.part ? shadowOf(shadow.table, unit.part.index) : shadowOf(shadow.table);
      // Another shard's attempt that died left nothing committed; TRUNCATE makes sure of it.
      await client.query(`TRUNCATE ${relation}`);
      const rows = await copyIn(client, relation, shadow.columns, batches);
      const marked = await client.query(markStagedSql, [unit.id, unit.token, rows, bytes()]);
      if (marked.rowCount !== 1) return await rollback(client);
      await client.query('COMMIT');
      return rows;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      this.idle.push(client);
    }
  }

  async staged(planId: string): Promise<StagedUnit[]> {
    void planId; // one plan at a time in a target: its units are the ones there
    const { rows } = await this.control.query<StagedRow>(stagedUnitsSql);
    return rows.map((row) => ({
      ...unitOf(row),
      shard: row.shard,
      rows: Number(row.row_count),
      bytes: Number(row.byte_count),
      attempt: row.attempts,
      claimedAt: row.claimed_at,
      stagedAt: row.staged_at,
    }));
  }

  /** Written after the cut-over's commit, which dropped the staging schema with the plan. */
  async finish(header: BoardPlanHeader): Promise<void> {
    const db = this.control;
    await inTransaction(db, async () => {
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${shadowSchema}`);
      await db.query(`DROP TABLE IF EXISTS ${planTable}`);
      await db.query(createPlanSql);
      await db.query(
        `INSERT INTO ${planTable} (plan_id, shards, snapshot_id, rules_digest, coordinator_pid, status, unit_count,
           repairs_ready, published_at, finished_at)
         VALUES ($1, $2, $3, $4, 0, 'done', 0, true, clock_timestamp(), clock_timestamp())`,
        [header.planId, header.shards, header.snapshotId, header.rulesDigest],
      );
    });
  }

  async close(): Promise<void> {
    await Promise.all([this.control, ...this.idle.splice(0)].map((client) => this.connections.end(client)));
  }
}

interface PlanRow {
  plan_id: string;
  shards: number;
  snapshot_id: string;
  rules_digest: string;
  status: string;
  coordinator_pid: number;
  repairs_ready: boolean;
  unit_count: number;
  age: number;
  alive: boolean;
}

interface StagedRow extends UnitRow {
  shard: number;
  row_count: string;
  byte_count: string;
  attempts: number;
  claimed_at: number;
  staged_at: number;
}

function unitOf(row: UnitRow): BoardUnit {
  const { id, table_name: table, part_index: index, part_count: count, needs_repairs: needsRepairs } = row;
  if (index === null || count === null) return { id, table, needsRepairs };
  const range = {
    column: row.range_column!,
    ...(row.range_from !== null && { from: BigInt(row.range_from) }),
    ...(row.range_to !== null && { to: BigInt(row.range_to) }),
  };
  return { id, table, needsRepairs, part: { index, count, range } };
}

async function rollback(client: pg.Client): Promise<undefined> {
  await client.query('ROLLBACK');
  return undefined;
}

async function inTransaction(client: pg.Client, work: () => Promise<void>): Promise<void> {
  await client.query('BEGIN');
  try {
    await work();
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
