/**
 * The staging file of a staged load: `<target>.masque-new`, a SQLite database beside the target
 * holding one table per loaded table (made with the target's own CREATE TABLE, without its
 * indexes and triggers) and `_masque_progress`, one row per finished table, committed with that
 * table's rows. WAL with synchronous=NORMAL: a killed process loses no committed table.
 */
import { existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { StagedTable } from '../dialect.ts';
import type { SqliteDatabase } from './sqlite-driver.ts';
import { quoteIdentifier } from './sqlite-driver.ts';

export const stagingPathOf = (target: string): string => `${target}.masque-new`;
const progress = '_masque_progress';

/** A finished table and the columns it was loaded with (the cut-over copies just those). */
export interface SqliteStagedTable extends StagedTable {
  columns: string[];
}

/** Deletes the staging file and its journals. */
export function removeStaging(target: string): void {
  const path = stagingPathOf(target);
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

function openFile(path: string): SqliteDatabase {
  const db = new Database(path);
  db.exec('PRAGMA foreign_keys = OFF; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
  return db;
}

/** The tables a dead run finished; none when there is no staging file (or it cannot be read: it is removed). */
export function readStaging(target: string): SqliteStagedTable[] {
  const path = stagingPathOf(target);
  if (!existsSync(path)) return [];
  try {
    const db = openFile(path);
    try {
      if (!db.prepare(`SELECT 1 FROM sqlite_schema WHERE name = ?`).get(progress)) return [];
      const rows = db.prepare(`SELECT table_name, row_count, run_id, rules_fingerprint, source_fingerprint, column_list FROM ${progress} ORDER BY rowid`).all();
      return (rows as Record<string, string | number>[]).map((r) => ({
        table: String(r.table_name), rows: Number(r.row_count), runId: String(r.run_id), rulesDigest: String(r.rules_fingerprint),
        sourceVersion: String(r.source_fingerprint), columns: JSON.parse(String(r.column_list)) as string[],
      }));
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
  db.exec(`CREATE TABLE IF NOT EXISTS ${progress} (table_name TEXT PRIMARY KEY, row_count INTEGER NOT NULL, run_id TEXT NOT NULL,
    rules_fingerprint TEXT NOT NULL, source_fingerprint TEXT NOT NULL, column_list TEXT NOT NULL, finished_at TEXT NOT NULL)`);
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> ?`).all(progress) as { name: string }[];
  for (const { name } of tables) if (!keep.includes(name)) db.exec(`DROP TABLE ${quoteIdentifier(name)}`);
  db.prepare(`DELETE FROM ${progress} WHERE table_name NOT IN (SELECT value FROM json_each(?))`).run(JSON.stringify(keep));
  return db;
}

/** Records `table` as finished, in the transaction that filled it. */
export function recordDone(db: SqliteDatabase, done: SqliteStagedTable): void {
  db.prepare(`INSERT OR REPLACE INTO ${progress} VALUES (?, ?, ?, ?, ?, ?, ?)`).run(
    done.table, done.rows, done.runId, done.rulesDigest, done.sourceVersion, JSON.stringify(done.columns), new Date().toISOString(),
  );
}

/** The progress rows are deleted inside the cut-over: once it commits there is nothing to resume. */
export const forgetProgressSql = `DELETE FROM masque_new.${progress}`;
