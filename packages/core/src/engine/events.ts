import type { Problem } from '../errors.ts';

export interface TableSummary {
  table: string;
  rows: number;
  /** Size of the masked values written (see batchBytes): UTF-8 text, numbers as decimal text, binary as is. */
  bytes: number;
  seconds: number;
  skipped: boolean;
  maskedColumns: string[];
  /** Staged by an interrupted run and reused by this one (`--resume`): not read again. */
  resumed?: boolean;
  /** A subset run: the table's rows in the source, of which `rows` were kept (docs/subsetting.md). */
  sourceRows?: number;
  /** `sourceRows` is the engine's estimate (a table too big to count without reading it whole). */
  sourceRowsEstimated?: boolean;
}

export interface RunSummary {
  startedAt: string;
  finishedAt: string;
  seconds: number;
  rows: number;
  /** Sum of the tables' bytes. */
  bytes: number;
  /** Seconds of the final switch to the new rows (the cut-over transaction, or the direct load's commit). */
  cutoverSeconds?: number;
  tables: TableSummary[];
}

/** Which part of its table a unit is, when the table was split into key ranges. */
export interface UnitPart {
  index: number;
  count: number;
}

/** What a run reports as it goes; the CLI renders these (progress bars or JSON lines). */
export type RunEvent =
  | { type: 'start'; source: string; target: string; tables: number }
  | { type: 'warning'; problem: Problem }
  /** `--create-schema` created the source's schema, of `tables` tables, in the empty target. */
  | { type: 'schema-created'; tables: number }
  | { type: 'unique'; table: string; column: string; values: number; repaired: number; bytes: number }
  /** `subset:` chose `rows` rows of `tables` tables (roots, children, parents) in `seconds`. */
  | { type: 'subset'; tables: number; rows: number; seconds: number }
  | { type: 'table-start'; table: string; estimatedRows?: number }
  | { type: 'table-progress'; table: string; rows: number; bytes: number }
  | { type: 'table-done'; summary: TableSummary }
  /** `--shards`: shard 0 published the plan of `units` units, or this shard joined it. */
  | { type: 'shard-plan'; role: 'coordinator' | 'worker'; shards: number; units: number }
  /** `--shards`: this shard waits for shard 0 to publish the plan. */
  | { type: 'shard-waiting'; seconds: number }
  /** `--shards`: this shard took a unit (`attempt` > 1: over from a shard whose lease ran out). */
  | { type: 'unit-claimed'; table: string; part?: UnitPart; attempt: number }
  /** `--shards`: this shard staged a unit. */
  | { type: 'unit-staged'; table: string; part?: UnitPart; rows: number; bytes: number; seconds: number }
  | { type: 'commit' }
  | { type: 'done'; summary: RunSummary };

export type RunListener = (event: RunEvent) => void;
