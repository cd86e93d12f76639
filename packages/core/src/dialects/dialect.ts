import type { DatabaseSchema, TableInfo } from './schema.ts';

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
  /** SQL conditions (`when:` of the rules), each read as one more value after the columns:
   *  true when it holds for the row (the engine reads t/1/true as true, anything else as false). */
  conditions?: string[];
}

/** Reads every table from one consistent, read-only snapshot of the source. */
export interface SnapshotReader {
  read(request: ReadRequest): AsyncIterable<Batch>;
  close(): Promise<void>;
}

export interface WriteRequest {
  table: TableInfo;
  /** Columns to write, in the order of the rows' values. */
  columns: string[];
}

/**
 * An all-or-nothing load into the target: it empties the tables it was opened for, takes rows,
 * and makes them visible only in `commit()`. `rollback()` (or a crash) leaves the target as it was.
 */
export interface Loader {
  /** Writes every batch into the table with the engine's bulk path; resolves to the rows written. */
  write(request: WriteRequest, batches: AsyncIterable<Batch>): Promise<number>;
  /** Moves identity/sequence/auto-increment counters past the copied maximum, checks every
   *  foreign key of the loaded tables, then commits. Throws (and rolls back) on a broken key. */
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** What differs between engines, as flags rather than `if (engine === …)` in shared code. */
export interface DialectCapabilities {
  /** Foreign-key checks can be switched off during the load, so cycles and any order work. */
  deferForeignKeys: boolean;
  /** The whole load happens in one transaction. */
  transactionalLoad: boolean;
}

/** One database connection target (a URL), engine-specific behind this small interface. */
export interface Dialect {
  readonly engine: 'postgres' | 'mysql' | 'sqlite';
  readonly capabilities: DialectCapabilities;
  /** Tables, partitions, columns, keys. Only user tables (no system schemas). */
  introspect(): Promise<DatabaseSchema>;
  /** A string naming the database itself (server identity + database), not its URL spelling. */
  identity(): Promise<string>;
  /** Opens a read-only snapshot of this database as the source. */
  openSnapshot(): Promise<SnapshotReader>;
  /** Opens the all-or-nothing load of `tables` into this database as the target. */
  beginLoad(tables: TableInfo[]): Promise<Loader>;
  close(): Promise<void>;
}
