/**
 * The staging area of a staged load in the target database: a shadow table `_masque_new_<table>`
 * per loaded table (`CREATE TABLE … LIKE`, so the table's own definition; foreign keys and
 * triggers are not kept, secondary indexes are built after the load or not at all) and
 * `_masque_progress`, one InnoDB row per finished table, committed with that table's last rows.
 */
import { createHash } from 'node:crypto';
import type { TableInfo } from '../schema.ts';
import {
  progressTableSql,
  progressValues,
  readProgressSql,
  recordDoneSql,
  stagedTableOf,
  stagingNames,
  type StagedTableColumns,
} from '../staging.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { quoteIdentifier, startingWith } from './mysql-sql.ts';

const { shadowPrefix, progress } = stagingNames;
const progressTable = quoteIdentifier(progress);

/** `_masque_new_<table>`; hashed when longer than the 64 characters a table name may have. */
export function shadowName(table: TableInfo): string {
  const name = shadowPrefix + table.table;
  return name.length <= 64 ? name : shadowPrefix + createHash('sha256').update(table.table).digest('hex').slice(0, 40);
}

/**
 * Every staging table in the database: shadows and the progress table. Not the record of dropped
 * triggers (`_masque_triggers`, mysql-triggers.ts): dropping staging must never lose it before
 * they are back, and it goes by itself once they are.
 */
async function stagingTables(session: MysqlSession): Promise<string[]> {
  const rows = await session.rows(
    `SELECT TABLE_NAME FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME LIKE ${startingWith(shadowPrefix)} OR TABLE_NAME = ?)`,
    [progress],
  );
  return rows.map(([name]) => String(name));
}

/** The tables a run finished, as recorded; none when there is no progress table. */
export async function readProgress(session: MysqlSession): Promise<StagedTableColumns[]> {
  if (!(await stagingTables(session)).includes(progress)) return [];
  return (await session.rows(readProgressSql(progressTable))).map(stagedTableOf);
}

/** Drops every staging table. */
export async function dropStaging(session: MysqlSession): Promise<void> {
  const tables = await stagingTables(session);
  if (tables.length) await session.exec(`DROP TABLE IF EXISTS ${tables.map(quoteIdentifier).join(', ')}`);
}

/** Drops everything in the staging area but the shadows of `keep` and their progress rows. */
export async function resetStaging(session: MysqlSession, keep: TableInfo[]): Promise<void> {
  const kept = new Set([progress, ...keep.map(shadowName)]);
  const drop = (await stagingTables(session)).filter((t) => !kept.has(t));
  if (drop.length) await session.exec(`DROP TABLE IF EXISTS ${drop.map(quoteIdentifier).join(', ')}`);
  const types = { text: 'LONGTEXT', key: 'VARCHAR(255)', bigint: 'BIGINT', timestamp: 'DATETIME(6)' };
  const options = ' ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin';
  await session.exec(progressTableSql(progressTable, types, options));
  const names = keep.map((t) => t.table);
  const others = names.length ? ` WHERE table_name NOT IN (${names.map(() => '?').join(', ')})` : '';
  await session.exec(`DELETE FROM ${progressTable}${others}`, { params: names });
}

/**
 * Replaces the shadow of `table` by an empty copy of its definition (`CREATE TABLE … LIKE`: its
 * columns, types, character sets, options, partitions, comments and indexes; no foreign keys
 * nor triggers), without the indexes named in `dropIndexes`, which the load would otherwise
 * maintain row by row: building one afterwards, from the loaded rows, is faster
 * (`completeIndexes`), and an index nothing reads need not be built at all.
 */
export async function createShadow(session: MysqlSession, table: TableInfo, dropIndexes: string[]): Promise<string> {
  const shadow = shadowName(table);
  await session.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(shadow)}`);
  await session.exec(`CREATE TABLE ${quoteIdentifier(shadow)} LIKE ${quoteIdentifier(table.table)}`);
  if (dropIndexes.length) {
    const drops = dropIndexes.map((index) => `DROP INDEX ${quoteIdentifier(index)}`);
    await session.exec(`ALTER TABLE ${quoteIdentifier(shadow)} ${drops.join(', ')}`);
  }
  return shadow;
}

/**
 * The secondary indexes of a table the key check does not read: those that lead with none of
 * `referencedKeys` (column lists that foreign keys reference), among `candidates`.
 */
export async function unreadIndexes(
  session: MysqlSession,
  table: TableInfo,
  referencedKeys: string[][],
  candidates: string[],
): Promise<string[]> {
  const indexes = await indexColumns(session, table.table);
  const leads = (columns: string[], key: string[]) => key.every((column, i) => columns[i] === column);
  return candidates.filter((name) => !referencedKeys.some((key) => leads(indexes.get(name) ?? [], key)));
}

/** Each secondary index of `table` with its columns in order. */
export async function indexColumns(session: MysqlSession, table: string): Promise<Map<string, string[]>> {
  const indexes = new Map<string, string[]>();
  const rows = await session.rows(
    `SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'
     ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [table],
  );
  for (const [index, column] of rows) {
    (indexes.get(String(index)) ?? indexes.set(String(index), []).get(String(index))!).push(String(column));
  }
  return indexes;
}

/** Records `table` as finished (replacing an earlier record), in the transaction that filled its shadow. */
export async function recordDone(session: MysqlSession, done: StagedTableColumns): Promise<void> {
  await session.exec(`DELETE FROM ${progressTable} WHERE table_name = ?`, { params: [done.table] });
  await session.exec(
    recordDoneSql(progressTable, () => '?', 'NOW(6)'),
    { params: progressValues(done) },
  );
}

/** Empties the progress table, inside the cut-over: once it commits there is nothing to resume. */
export async function forgetProgress(session: MysqlSession): Promise<void> {
  await session.exec(`DELETE FROM ${progressTable}`);
}
