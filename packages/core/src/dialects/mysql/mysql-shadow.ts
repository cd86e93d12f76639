/**
 * The staging area of a staged load in the target database: a shadow table `_masque_new_<table>`
 * per loaded table (`CREATE TABLE … LIKE`, so types, character sets and the primary key are the
 * table's own; foreign keys, triggers and unreferenced indexes are not kept) and
 * `_masque_progress`, one InnoDB row per finished table, committed with that table's last rows.
 */
import { createHash } from 'node:crypto';
import { escape } from 'mysql2';
import type { StagedTable } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import type { MysqlSession } from './mysql-connection.ts';
import { quoteId } from './mysql-sql.ts';

const prefix = '_masque_new_';
const progress = '_masque_progress';

/** `_masque_new_<table>`; hashed when longer than the 64 characters a table name may have. */
export function shadowName(table: TableInfo): string {
  const name = prefix + table.table;
  return name.length <= 64 ? name : prefix + createHash('sha256').update(table.table).digest('hex').slice(0, 40);
}

/** Every staging table in the database: shadows and the progress table. */
async function stagingTables(session: MysqlSession): Promise<string[]> {
  const rows = await session.rows(
    `SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME LIKE '\\_masque\\_new\\_%' OR TABLE_NAME = ?)`,
    [progress],
  );
  return rows.map(([name]) => String(name));
}

/** A finished table and the columns its shadow was loaded with (the cut-over copies just those). */
export interface MysqlStagedTable extends StagedTable {
  columns: string[];
}

/** The tables a run finished, as recorded; none when there is no progress table. */
export async function readProgress(session: MysqlSession): Promise<MysqlStagedTable[]> {
  if (!(await stagingTables(session)).includes(progress)) return [];
  const rows = await session.rows(
    `SELECT table_name, row_count, run_id, rules_fingerprint, source_fingerprint, column_list FROM ${quoteId(progress)} ORDER BY finished_at`,
  );
  return rows.map(([table, count, runId, rules, source, columns]) => ({
    table: String(table), rows: Number(count), runId: String(runId), rulesDigest: String(rules), sourceVersion: String(source),
    columns: JSON.parse(String(columns)) as string[],
  }));
}

/** Drops every staging table. */
export async function dropStaging(session: MysqlSession): Promise<void> {
  const tables = await stagingTables(session);
  if (tables.length) await session.exec(`DROP TABLE IF EXISTS ${tables.map(quoteId).join(', ')}`);
}

/** Drops everything in the staging area but the shadows of `keep` and their progress rows. */
export async function resetStaging(session: MysqlSession, keep: TableInfo[]): Promise<void> {
  const kept = new Set([progress, ...keep.map(shadowName)]);
  const drop = (await stagingTables(session)).filter((t) => !kept.has(t));
  if (drop.length) await session.exec(`DROP TABLE IF EXISTS ${drop.map(quoteId).join(', ')}`);
  await session.exec(`CREATE TABLE IF NOT EXISTS ${quoteId(progress)} (
    table_name VARCHAR(255) NOT NULL PRIMARY KEY, row_count BIGINT NOT NULL, run_id VARCHAR(64) NOT NULL,
    rules_fingerprint VARCHAR(128) NOT NULL, source_fingerprint VARCHAR(128) NOT NULL, column_list LONGTEXT NOT NULL,
    finished_at DATETIME(6) NOT NULL
  ) ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const names = keep.map((t) => escape(t.table));
  await session.exec(`DELETE FROM ${quoteId(progress)}${names.length ? ` WHERE table_name NOT IN (${names.join(', ')})` : ''}`);
}

/**
 * Replaces the shadow of `table` by an empty copy of its definition, without foreign keys and
 * triggers (`LIKE` copies neither), and without the secondary indexes that no foreign key
 * references: nothing reads them, and maintaining them was most of the load's cost (500k
 * accounts + 1M orders, `LOAD DATA`: 7.4 s with them, 4.2 s without). The indexes that
 * `referencedKeys` (column lists that foreign keys reference) lead are kept: the key check looks
 * parents up in them. A unique index dropped here is still enforced by the table's own, when
 * the rows move in.
 */
export async function createShadow(session: MysqlSession, table: TableInfo, referencedKeys: string[][]): Promise<string> {
  const shadow = shadowName(table);
  await session.exec(`DROP TABLE IF EXISTS ${quoteId(shadow)}`);
  await session.exec(`CREATE TABLE ${quoteId(shadow)} LIKE ${quoteId(table.table)}`);
  const indexes = new Map<string, string[]>();
  const rows = await session.rows(
    `SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY' ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [shadow],
  );
  for (const [index, column] of rows) (indexes.get(String(index)) ?? indexes.set(String(index), []).get(String(index))!).push(String(column));
  const leads = (columns: string[], key: string[]) => key.every((column, i) => columns[i] === column);
  const unread = [...indexes].filter(([, columns]) => !referencedKeys.some((key) => leads(columns, key)));
  if (unread.length) await session.exec(`ALTER TABLE ${quoteId(shadow)} ${unread.map(([index]) => `DROP INDEX ${quoteId(index)}`).join(', ')}`);
  return shadow;
}

/** Records `table` as finished, in the transaction that filled its shadow. */
export async function recordDone(session: MysqlSession, done: MysqlStagedTable): Promise<void> {
  const values = [done.table, done.rows, done.runId, done.rulesDigest, done.sourceVersion, JSON.stringify(done.columns)].map((v) => escape(v));
  await session.exec(
    `REPLACE INTO ${quoteId(progress)} (table_name, row_count, run_id, rules_fingerprint, source_fingerprint, column_list, finished_at) VALUES (${values.join(', ')}, NOW(6))`,
  );
}

/** Empties the progress table, inside the cut-over: once it commits there is nothing to resume. */
export async function forgetProgress(session: MysqlSession): Promise<void> {
  await session.exec(`DELETE FROM ${quoteId(progress)}`);
}
