import type { ConnectionLost, DatabaseSide } from '../errors.ts';
import type { DatabaseSchema, TableInfo } from './schema.ts';
import type { ShardBoard } from './shard-board.ts';

/**
 * One value as a dialect reads and writes it. PostgreSQL gives text (COPY text format, bytea as
 * `\x…` hex); MySQL gives strings and Buffers; SQLite gives what it stores. NULL is `null`.
 */
export type Value = string | number | bigint | boolean | Buffer | null;

/** One row: values in the order of the columns asked for. Arrays, not objects, to keep rows cheap. */
export type Row = Value[];

/** Rows move between stages in batches, never one object per row through every stage. */
export type Batch = Row[];

export interface ReadRequest {
  table: TableInfo;
  /** Columns to read, in this order (generated columns are never asked for). */
  columns: string[];
  /** Optional SQL row filter from the rules. */
  where?: string;
  /** SQL conditions (`when:` of the rules), each read as one more value after the columns, in the
   *  engine's own spelling of a boolean: the dialect's `readsTrue` tells whether it holds. */
  conditions?: string[];
  /** Only the rows whose integer key is in [from, to): one work unit of a table split for `--jobs`. */
  range?: KeyRange;
}

/**
 * The rows of a table whose `keyColumns` equal one of `keys`: a subset's lookup of children or
 * parents by key, or of kept rows by their primary key (docs/subsetting.md). The other fields
 * read as in a ReadRequest (`where` and `conditions` apply too); there is no `range`.
 */
export interface KeyLookup extends Omit<ReadRequest, 'range'> {
  /** The columns compared, in the order of each key's values. */
  keyColumns: string[];
  /** Distinct tuples of values as this engine's reader reads them; none holds a NULL. Some
   *  thousands at most (engine/subset/walk.ts `lookupKeys`): they go in one statement. */
  keys: Row[];
}

/** A half-open range of an integer key column; a missing bound is open. */
export interface KeyRange {
  column: string;
  from?: bigint;
  to?: bigint;
}

/** Reads every table from one consistent, read-only snapshot of the source. */
export interface SnapshotReader {
  read(request: ReadRequest): AsyncIterable<Batch>;
  /**
   * Per table name, a digest of what the table holds in this snapshot, for `--resume`: equal
   * digests in two runs mean the table did not change in between, within the limits each engine
   * can tell (docs/atomic-refresh.md). A digest starting `unstable:` never matches: the table
   * changed while the snapshot was being opened. Readers without it make no table resumable.
   */
  sourceVersions?(tables: TableInfo[]): Promise<Map<string, string>>;
  /** Another connection reading the very same snapshot, so that work units read in parallel.
   *  Readers that cannot share their snapshot lack it, and the run reads on one connection. */
  share?(): Promise<SnapshotReader>;
  /** The smallest and largest value of an integer column in the snapshot (null: no rows). */
  keyBounds?(table: TableInfo, column: string): Promise<{ min: bigint; max: bigint } | null>;
  /**
   * The rows `lookup` names, in the snapshot, in one statement that the table's indexes answer
   * where they exist (`IN (…)` or `= ANY(…)`): the subset's way to follow keys without scanning a
   * table (dialects/<engine>/<engine>-key-lookup.ts).
   */
  readByKeys?(lookup: KeyLookup): AsyncIterable<Batch>;
  /** How many rows the table holds in the snapshot (`count(*)`). */
  countRows?(table: TableInfo): Promise<number>;
  /** The id other processes join this snapshot by (`Dialect.joinSnapshot`), where the engine exports it. */
  readonly snapshotId?: string;
  close(): Promise<void>;
}

export interface WriteRequest {
  table: TableInfo;
  /** Columns to write, in the order of the rows' values. */
  columns: string[];
  /** This write is part `index` of `count` of the table, the rows of key range `range`; together
   *  the parts replace the table's rows. Without it the write is the whole table. */
  part?: { index: number; count: number; range: KeyRange };
  /** Called once every batch of the table (of its last part) is loaded, before the write commits:
   *  the loader applies the patches it answers to the table's rows. Given only where the loader's
   *  `canPatch` said yes. */
  patches?: () => Promise<RowPatch[]>;
}

/**
 * New values for one column of some rows a write has just loaded, each row found by its primary
 * key: the repairs of a unique column prepared while its table copied (engine/prepare-unique.ts).
 */
export interface RowPatch {
  /** The primary key's columns, whose values masking kept. */
  keyColumns: string[];
  column: string;
  /** Per row: the key's values, then the column's new value. */
  rows: Row[];
}

/** `staged` (default): a resumable shadow copy, then one cut-over; `direct`: one transaction into the tables. */
export type LoadMode = 'staged' | 'direct';

/** A table that a staged load finished and recorded in the target, as a later run finds it. */
export interface StagedTable {
  /** The target table's name (`TableInfo.name`). */
  table: string;
  rows: number;
  runId: string;
  rulesDigest: string;
  sourceVersion: string;
}

/** Who loads and from what: recorded with every staged table, compared by a resumed run. */
export interface LoadStamp {
  runId: string;
  rulesDigest: string;
  /** Of the whole source snapshot the rows come from (every table the run reads). */
  sourceVersion: string;
}

export interface LoadOptions {
  mode?: LoadMode;
  /** Recorded with each staged table; a fresh random one when missing. */
  stamp?: LoadStamp;
  /** Picks which tables a dead run staged are reused; the rest of what it left is dropped. */
  reuse?: (staged: StagedTable[]) => ReadonlySet<string>;
}

/**
 * An all-or-nothing load into the target of the tables it was opened for: readers of the target
 * see the old rows until `commit()` switches every table at once. `rollback()`, a failure or a
 * crash (even `kill -9`) leaves the target's tables as they were. A staged load writes each table
 * into a shadow copy, committed table by table, so that a later run can reuse the finished ones.
 */
export interface Loader {
  /** `write` calls may run at the same time (one connection each); otherwise the run makes them wait their turn. */
  readonly concurrentWrites?: boolean;
  /** Tables taken over from a dead run (resume), with their rows: they need no `write`. */
  readonly reused: ReadonlyMap<string, number>;
  /** Writes every batch into the table (or its shadow) with the engine's bulk path; resolves to
   *  the rows written. One call per table (or per part of it); a table's rows are replaced, never
   *  added to. Calls may overlap: a loader with one connection takes them one after another. */
  write(request: WriteRequest, batches: AsyncIterable<Batch>): Promise<number>;
  /** Whether writes of `table` (in `parts` or whole) can apply `WriteRequest.patches` to `column`:
   *  it holds no unique index on it while it loads. Missing: never. */
  canPatch?(table: TableInfo, column: string, parts: boolean): boolean;
  /** Replaces the tables' rows with the loaded ones in one transaction, moves identity/sequence/
   *  auto-increment counters past the copied maximum, checks every foreign key into or out of
   *  the tables, commits, then drops the shadow copies. Throws (and rolls back) on a broken key,
   *  or when `signal` aborts before the commit. */
  commit(signal?: AbortSignal): Promise<void>;
  /** Ends without touching the target's tables. Staged tables stay for a resume. */
  rollback(): Promise<void>;
  /**
   * `--shards`: rows another process staged (a whole table, or one part of it) into the shadow
   * the shard board made; they move in as this loader's own writes would. With `tableRows`, the
   * table is complete: it is recorded as staged, for a resume.
   */
  adopt?(request: WriteRequest, tableRows?: number): Promise<void>;
}

/** The one-run-at-a-time lock of a target, or who holds it. */
export type LockAttempt = { acquired: true; release(): Promise<void> } | { acquired: false; holder: string };

/** How a dialect is opened, whatever its engine. */
export interface DialectOptions {
  /** Which of the run's databases this is, named when a connection to it is lost. */
  side?: DatabaseSide;
  /**
   * Longest wait for a lock held by someone else (a table lock at the cut-over, a row lock),
   * before the statement fails instead of waiting on; the dialect's default when missing.
   */
  lockTimeoutSeconds?: number;
  /** A file database that does not exist yet is created empty (`--create-schema` on SQLite);
   *  server databases must exist either way. */
  create?: boolean;
}

/** One database connection target (a URL), engine-specific behind this small interface. */
export interface Dialect {
  readonly engine: 'postgres' | 'mysql' | 'sqlite';
  /** Tables, partitions, columns, keys. Only user tables (no system schemas). */
  introspect(): Promise<DatabaseSchema>;
  /** A string naming the database itself (server identity + database), not its URL spelling. */
  identity(): Promise<string>;
  /** Opens a read-only snapshot of this database as the source. */
  openSnapshot(): Promise<SnapshotReader>;
  /**
   * Tries once to take this database's run lock (PostgreSQL advisory lock, MariaDB GET_LOCK,
   * SQLite lock file), held until released or until the process dies, however it dies.
   */
  tryLock(): Promise<LockAttempt>;
  /** Opens the all-or-nothing load of `tables` into this database as the target. */
  beginLoad(tables: TableInfo[], options?: LoadOptions): Promise<Loader>;
  /**
   * `--create-schema`: creates the whole schema of `source` (same engine) in this database, which
   * holds none of its tables: tables, keys, indexes, sequences, types, views, routines, triggers,
   * comments. `sourceUrl` is the source's URL, for engines whose own dump tool does this.
   */
  copySchemaFrom?(source: Dialect, sourceUrl: string): Promise<void>;
  /** A `when:` condition's value as this engine's reader returns it: true when it holds (NULL never does). */
  readsTrue(value: Value): boolean;
  /**
   * Calls `listener` once, with the first loss of any of this database's connections (killed, the
   * server restarted, the network gone), even of one nothing is using at the moment (the run
   * lock's, an idle snapshot's), so that a run stops at once rather than at its next statement.
   * A file database has no connection to lose and never calls it.
   */
  onLost?(listener: (loss: ConnectionLost) => void): void;
  /** `--shards`: the plan, units and leases the processes of one run share in this target. */
  shardBoard?(): Promise<ShardBoard>;
  /** `--shards`: a reader of the snapshot another process exported (`SnapshotReader.snapshotId`) and keeps open. */
  joinSnapshot?(snapshotId: string): Promise<SnapshotReader>;
  /** Closes every connection; a second call does nothing. */
  close(): Promise<void>;
}
