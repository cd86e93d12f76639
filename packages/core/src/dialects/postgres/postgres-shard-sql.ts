/**
 * The tables of `--shards` in the staging schema, beside the shadows: `shard_plan` (one row: the
 * snapshot, the rules digest, shard 0's lock session, the unique repairs) and `shard_units` (one
 * row per unit: pending, claimed under a lease, or staged). UNLOGGED like the shadows: a server
 * crash empties them with the shadows they describe. The cut-over drops them with the schema.
 */
import { runLockKeys } from './postgres-lock.ts';
import { shadowSchema } from './postgres-staging.ts';

export const planTable = `${shadowSchema}.shard_plan`;
export const unitsTable = `${shadowSchema}.shard_units`;

export const createPlanSql = `CREATE UNLOGGED TABLE ${planTable} (
  plan_id text PRIMARY KEY, shards int NOT NULL, snapshot_id text NOT NULL, rules_digest text NOT NULL,
  coordinator_pid int NOT NULL, status text NOT NULL, unit_count int NOT NULL, repairs_ready boolean NOT NULL,
  repairs bytea, published_at timestamptz NOT NULL, finished_at timestamptz)`;

export const createUnitsSql = `CREATE UNLOGGED TABLE ${unitsTable} (
  id int PRIMARY KEY, table_name text NOT NULL, part_index int, part_count int,
  range_column text, range_from text, range_to text, needs_repairs boolean NOT NULL,
  state text NOT NULL DEFAULT 'pending', shard int, token text, attempts int NOT NULL DEFAULT 0,
  lease_until timestamptz, claimed_at timestamptz, staged_at timestamptz, row_count bigint, byte_count bigint)`;

/** The session that holds the target's run lock (a session lock: `objsubid` 2 for two int4 keys). */
const runLockRows = `FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND l.classid = ${runLockKeys[0]} AND l.objid = ${runLockKeys[1]} AND l.objsubid = 2`;

export const runLockHolderSql = `SELECT l.pid ${runLockRows}`;

/**
 * True while the plan `p`'s coordinator still holds the run lock: its process and its source
 * snapshot are alive. pg_locks is readable by every role; the server drops a dead session's lock.
 */
export const coordinatorAliveSql = `EXISTS (SELECT 1 ${runLockRows} AND l.pid = p.coordinator_pid)`;

/** True while the session `$1` holds the run lock. */
export const holdsRunLockSql = `SELECT EXISTS (SELECT 1 ${runLockRows} AND l.pid = $1) AS alive`;

export const readPlanSql = `SELECT p.plan_id, p.shards, p.snapshot_id, p.rules_digest, p.status, p.repairs_ready,
  p.coordinator_pid,
  p.unit_count, extract(epoch FROM clock_timestamp() - coalesce(p.finished_at, p.published_at))::float8 AS age,
  ${coordinatorAliveSql} AS alive FROM ${planTable} p`;

const unitColumns = 'id, table_name, part_index, part_count, range_column, range_from, range_to, needs_repairs';

export const insertUnitsSql = `INSERT INTO ${unitsTable} (${unitColumns})
  SELECT * FROM unnest($1::int[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::text[], $8::boolean[])`;

/**
 * Takes the lowest unit that is free — pending, or claimed under a lease that has run out — while
 * the plan `$1` is open and its coordinator alive, for shard `$2` with token `$3`, for `$4` s.
 * `SKIP LOCKED`: shards claiming at the same moment each get another unit, none waits.
 */
export const claimSql = `WITH plan AS (
    SELECT p.repairs_ready, ${coordinatorAliveSql} AS alive FROM ${planTable} p
    WHERE p.plan_id = $1 AND p.status = 'open'),
  next AS (
    SELECT u.id FROM ${unitsTable} u
    WHERE (SELECT alive FROM plan)
      AND (u.state = 'pending' OR (u.state = 'claimed' AND u.lease_until < clock_timestamp()))
      AND (NOT u.needs_repairs OR (SELECT repairs_ready FROM plan))
    ORDER BY u.id LIMIT 1 FOR UPDATE SKIP LOCKED)
  UPDATE ${unitsTable} u SET state = 'claimed', shard = $2, token = $3, attempts = u.attempts + 1,
    lease_until = clock_timestamp() + $4::float8 * interval '1 second', claimed_at = clock_timestamp()
  FROM next WHERE u.id = next.id
  RETURNING u.id, u.table_name, u.part_index, u.part_count, u.range_column, u.range_from, u.range_to,
    u.needs_repairs, u.attempts`;

/** Why a claim found nothing: the plan's state, its coordinator, and the units not yet staged. */
export const claimStateSql = `SELECT p.status, ${coordinatorAliveSql} AS alive,
  (SELECT count(*) FROM ${unitsTable} WHERE state <> 'staged')::int AS left
  FROM ${planTable} p WHERE p.plan_id = $1`;

/**
 * Extends the lease while `$2` is the unit's token (a takeover changes it). A unit this shard has
 * just staged still counts as held: a renewal that waited for the staging's commit is no loss.
 */
export const renewSql = `UPDATE ${unitsTable} SET lease_until = clock_timestamp() + $3::float8 * interval '1 second'
  WHERE id = $1 AND token = $2`;

export const holdsSql = `SELECT 1 FROM ${unitsTable} WHERE id = $1 AND token = $2 AND state = 'claimed'`;

export const markStagedSql = `UPDATE ${unitsTable}
  SET state = 'staged', row_count = $3, byte_count = $4, staged_at = clock_timestamp()
  WHERE id = $1 AND token = $2 AND state = 'claimed'`;

export const stagedUnitsSql = `SELECT ${unitColumns}, shard, row_count, byte_count, attempts,
  extract(epoch FROM claimed_at)::float8 AS claimed_at, extract(epoch FROM staged_at)::float8 AS staged_at
  FROM ${unitsTable} WHERE state = 'staged' ORDER BY id`;

/** A unit row as the queries above return it. */
export interface UnitRow {
  id: number;
  table_name: string;
  part_index: number | null;
  part_count: number | null;
  range_column: string | null;
  range_from: string | null;
  range_to: string | null;
  needs_repairs: boolean;
}
