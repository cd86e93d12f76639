import { randomUUID } from 'node:crypto';
import type { LoadOptions, LoadStamp, StagedTable } from './dialect.ts';

/**
 * What every staged loader shares: the names of masque's staging objects in a target, the
 * progress table that records each finished table, the stamp of a run that gave none (never
 * resumable: its versions are random), and the choice of what to keep from a dead run.
 */

/** The names masque gives its own objects in a target; introspection leaves them out. */
export const stagingNames = {
  /** PostgreSQL: the schema that holds the shadows and the progress table. */
  schema: 'masque_shadow',
  /** MariaDB: the prefix of a shadow table beside its table. */
  shadowPrefix: '_masque_new_',
  /** Every table whose name starts with it is masque's (MariaDB, SQLite). */
  prefix: '_masque_',
  /** One row per finished table, committed with that table's last rows. */
  progress: '_masque_progress',
  /** SQLite: the staging file beside the target, and the lock file. */
  fileSuffix: '.masque-new',
  lockSuffix: '.masque-lock',
} as const;

/** A finished table and the columns it was loaded with (the cut-over moves just those). */
export interface StagedTableColumns extends StagedTable {
  columns: string[];
}

/** The SQL types a dialect gives the progress table's columns. */
export interface ProgressTypes {
  text: string;
  key: string;
  bigint: string;
  timestamp: string;
}

/**
 * The progress table's columns. Their names (`rules_fingerprint`, `source_fingerprint`) are the
 * ones earlier releases wrote, so a staging area they left is still read.
 */
const progressColumns = [
  'table_name',
  'row_count',
  'run_id',
  'rules_fingerprint',
  'source_fingerprint',
  'column_list',
] as const;

/**
 * `CREATE TABLE` of the progress table, named `name` (already quoted), with the dialect's types;
 * `options` follow the columns, `kind` precedes TABLE (PostgreSQL's `UNLOGGED`).
 */
export function progressTableSql(name: string, types: ProgressTypes, options = '', kind = ''): string {
  const { text, key, bigint, timestamp } = types;
  return (
    `CREATE ${kind ? `${kind} ` : ''}TABLE IF NOT EXISTS ${name} (` +
    `table_name ${key} NOT NULL PRIMARY KEY, row_count ${bigint} NOT NULL, ` +
    `run_id ${text} NOT NULL, rules_fingerprint ${text} NOT NULL, source_fingerprint ${text} NOT NULL, ` +
    `column_list ${text} NOT NULL, finished_at ${timestamp} NOT NULL)${options}`
  );
}

/** `SELECT` of every recorded table from the progress table `name`, oldest first. */
export function readProgressSql(name: string): string {
  return `SELECT ${progressColumns.join(', ')} FROM ${name} ORDER BY finished_at`;
}

/** `INSERT` of one finished table, with a placeholder per value (`$1…` or `?`) and the time it finished. */
export function recordDoneSql(name: string, placeholder: (index: number) => string, now: string): string {
  const values = progressColumns.map((_, i) => placeholder(i + 1));
  return `INSERT INTO ${name} (${progressColumns.join(', ')}, finished_at) VALUES (${values.join(', ')}, ${now})`;
}

/** The values `recordDoneSql` takes, in its order. */
export function progressValues(done: StagedTableColumns): (string | number)[] {
  return [done.table, done.rows, done.runId, done.rulesDigest, done.sourceVersion, JSON.stringify(done.columns)];
}

/** A row of `readProgressSql`, as the driver returns it (an array in column order). */
export function stagedTableOf(row: readonly unknown[]): StagedTableColumns {
  const [table, rows, runId, rules, source, columns] = row;
  return {
    table: String(table),
    rows: Number(rows),
    runId: String(runId),
    rulesDigest: String(rules),
    sourceVersion: String(source),
    columns: JSON.parse(String(columns)) as string[],
  };
}

export function stampOf(options: LoadOptions): LoadStamp {
  return (
    options.stamp ?? { runId: randomUUID(), rulesDigest: `none:${randomUUID()}`, sourceVersion: `none:${randomUUID()}` }
  );
}

/** The tables of a dead run to keep, limited to those this load is for. */
export function tablesToKeep(options: LoadOptions, staged: StagedTable[], loading: string[]): Set<string> {
  const chosen = options.reuse?.(staged) ?? new Set<string>();
  return new Set(loading.filter((name) => chosen.has(name) && staged.some((s) => s.table === name)));
}
