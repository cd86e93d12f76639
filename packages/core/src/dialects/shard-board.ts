/**
 * `masque run --shards N`: what the processes (pods) of one run share in the target's staging
 * area. Shard 0 publishes the plan — the work units, the id of the source snapshot it keeps open,
 * the rules digest — and every shard claims units from it one at a time under a lease, stages
 * them and marks them done. The engine's side is `engine/shards/`; this is the dialect's contract.
 */
import type { Batch, KeyRange } from './dialect.ts';
import type { TableInfo } from './schema.ts';

/** One unit of the plan: a whole table, or a key range of one. */
export interface BoardUnit {
  /** Its place in the plan (load order); claims take the lowest free one first. */
  id: number;
  /** The target table's name (`TableInfo.name`). */
  table: string;
  part?: { index: number; count: number; range: KeyRange };
  /** The table's masked unique columns need shard 0's repairs before its rows can be masked. */
  needsRepairs: boolean;
}

/** The shadow a unit is staged into: the table, and the columns it is written with. */
export interface BoardShadow {
  table: TableInfo;
  columns: string[];
  /** Split into this many parts (a child shadow each), or written whole. */
  parts?: number;
}

/** What shard 0 publishes. */
export interface BoardPlanHeader {
  planId: string;
  shards: number;
  /** The source snapshot every shard reads, exported by shard 0 and kept open by it. */
  snapshotId: string;
  /** Of the rules and the planned tables: every shard must plan the same run. */
  rulesDigest: string;
}

/** The plan as a shard finds it. */
export interface BoardPlan extends BoardPlanHeader {
  /** `open` while the run goes on; `done` once its cut-over has committed. */
  status: 'open' | 'done';
  /** The unique repairs are published: units that need them may be claimed. */
  repairsReady: boolean;
  /** Seconds since it was published (`open`) or since the cut-over committed (`done`). */
  age: number;
  /** Shard 0 still holds the target's run lock: its snapshot is still open. */
  coordinatorAlive: boolean;
  units: number;
}

/** A unit this shard holds, under a lease that `token` proves. */
export interface ClaimedUnit extends BoardUnit {
  token: string;
  /** 1 the first time; more when it was taken over from a shard whose lease ran out. */
  attempt: number;
}

/** What a claim found: a unit; nothing free now, but units still held by others; or no unit left. */
export type Claim =
  | { kind: 'unit'; unit: ClaimedUnit }
  | { kind: 'wait' }
  | { kind: 'all-staged' }
  /** The plan is not the one this shard works on any more, or shard 0 is gone. */
  | { kind: 'gone'; reason: string };

/** A unit some shard has staged. */
export interface StagedUnit extends BoardUnit {
  shard: number;
  rows: number;
  bytes: number;
  attempt: number;
  /** Unix times (seconds, server clock) the staging began and committed. */
  claimedAt: number;
  stagedAt: number;
}

export interface ShardBoard {
  /**
   * Shard 0, under the run lock, after the load was opened: creates the shadows, then publishes
   * the plan and its units in one transaction, so a shard never sees half of it.
   */
  publish(header: BoardPlanHeader, units: BoardUnit[], shadows: BoardShadow[], repairsReady: boolean): Promise<void>;
  /** Shard 0: the unique repairs (sealed), which lets the units that need them be claimed. */
  publishRepairs(planId: string, sealed: Buffer): Promise<void>;
  /** The plan in the target, if there is one. */
  readPlan(): Promise<BoardPlan | undefined>;
  /** The sealed repairs of plan `planId`. */
  repairs(planId: string): Promise<Buffer | undefined>;
  /** Claims the next free unit for `shard`, or one whose lease has run out, for `leaseSeconds`. */
  claim(planId: string, shard: number, leaseSeconds: number): Promise<Claim>;
  /** Extends the lease; false when it is not this shard's any more (it ran out and was taken over). */
  renew(unit: ClaimedUnit, leaseSeconds: number): Promise<boolean>;
  /**
   * Replaces the unit's staged rows by `batches` and marks it staged with `bytes()`, in one
   * transaction; resolves to the rows, or undefined when the lease was lost (nothing committed).
   */
  stage(
    unit: ClaimedUnit,
    shadow: BoardShadow,
    batches: AsyncIterable<Batch>,
    bytes: () => number,
  ): Promise<number | undefined>;
  /** Every unit staged so far. */
  staged(planId: string): Promise<StagedUnit[]>;
  /** Shard 0, after the cut-over committed: leaves the plan marked done, for shards that start late. */
  finish(header: BoardPlanHeader): Promise<void>;
  close(): Promise<void>;
}
