/**
 * The staging file of a staged load: `<target>.masque-new`, a SQLite database beside the target
 * holding one table per loaded table (made with the target's own CREATE TABLE, without its
 * indexes and triggers) and `_masque_progress`, one row per finished table, committed with that
 * table's rows. WAL with synchronous=NORMAL: a killed process loses no committed table.
 */
import { existsSync, rmSync } from 'node:fs';
import type { TableInfo } from '../schema.ts';
import { DatabaseError } from '../../errors.ts';
import {
  progressTableSql,
  progressValues,
  readProgressSql,
  recordDoneSql,
  stagedTableOf,
  stagingNames,
  type StagedTableColumns,
} from '../staging.ts';
import { openDatabase, openOwnFile, type SqliteDatabase } from './sqlite-driver.ts';
import { notInternal, quoteIdentifier } from './sqlite-sql.ts';

export const stagingPathOf = (target: string): string => `${target}${stagingNames.fileSuffix}`;

/** The name the staging file is attached under in the cut-over's connection to the target. */
export const stagingSchema = 'masque_new';

const progress = quoteIdentifier(stagingNames.progress);
const progressTypes = { text: 'TEXT', key: 'TEXT', bigint: 'INTEGER', timestamp: 'TEXT' };
/** The time a table finished is bound as an ISO string, like the other values. */
const recordSql = recordDoneSql(progress, () => '?', '?');

/** Deletes the staging file and its journals. */
export function removeStaging(target: string): void {
  const path = stagingPathOf(target);
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

function openFile(path: string): SqliteDatabase {
  const db = openOwnFile(path);
  db.exec('PRAGMA foreign_keys = OFF; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
  return db;
}

/** The tables a dead run finished; none when there is no staging file (or it cannot be read: it is removed). */
export function readStaging(target: string): StagedTableColumns[] {
  const path = stagingPathOf(target);
  if (!existsSync(path)) return [];
  try {
    const db = openFile(path);
    try {
      if (!db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = ?`).get(stagingNames.progress)) return [];
      const rows = db.prepare(readProgressSql(progress)).raw(true).all() as unknown[][];
      return rows.map((row) => stagedTableOf(row));
    } finally {
      db.close();
    }
  } catch {
    removeStaging(target);
    return [];
  }
}

/** Opens the staging file with only the tables of `keep` and their progress rows left in it. */
export function openStaging(target: string, keep: string[]): SqliteDatabase {
  if (keep.length === 0) removeStaging(target);
  const db = openFile(stagingPathOf(target));
  db.exec(progressTableSql(progress, progressTypes));
  const tables = db
    .prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND ${notInternal} AND name <> ?`)
    .all(stagingNames.progress) as { name: string }[];
  for (const { name } of tables) if (!keep.includes(name)) db.exec(`DROP TABLE ${quoteIdentifier(name)}`);
  const forget = db.prepare(`DELETE FROM ${progress} WHERE table_name NOT IN (SELECT value FROM json_each(?))`);
  forget.run(JSON.stringify(keep));
  return db;
}

/** The target's CREATE TABLE statement of each table, by bare name: a staged table is made with it. */
export function tableDefinitions(target: string, tables: TableInfo[]): Map<string, string> {
  const db = openDatabase(target, { readonly: true });
  try {
    const rows = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table'`).all() as {
      name: string;
      sql: string;
    }[];
    const wanted = new Set(tables.map((t) => t.table));
    return new Map(rows.filter((r) => wanted.has(r.name)).map((r) => [r.name, r.sql]));
  } finally {
    db.close();
  }
}

/** Replaces the staged table of `table` by an empty one made with its definition. */
export function createStagedTable(db: SqliteDatabase, table: TableInfo, definitions: Map<string, string>): void {
  const definition = definitions.get(table.table);
  db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(table.table)}`);
  if (definition === undefined) throw new DatabaseError(`no definition of table "${table.name}" in the target`);
  db.exec(definition);
}

/** Records `table` as finished, in the transaction that filled it; a table staged again replaces its row. */
export function recordDone(db: SqliteDatabase, done: StagedTableColumns): void {
  db.prepare(`DELETE FROM ${progress} WHERE table_name = ?`).run(done.table);
  db.prepare(recordSql).run(...progressValues(done), new Date().toISOString());
}

/** The progress rows are deleted inside the cut-over: once it commits there is nothing to resume. */
export const forgetProgressSql = `DELETE FROM ${stagingSchema}.${progress}`;
