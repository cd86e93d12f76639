/**
 * The little of better-sqlite3 this dialect uses, behind a local interface so the driver stays
 * replaceable, and opening a file: the database (checked), or a file of masque's own.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError } from '../../errors.ts';
import { describeError, withoutValues } from '../driver-error.ts';
export { sqlitePath } from '../database-url.ts';

export interface SqliteStatement {
  run(...params: unknown[]): { changes: number };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  iterate(...params: unknown[]): IterableIterator<unknown>;
  raw(toggle?: boolean): this;
  safeIntegers(toggle?: boolean): this;
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  exec(sql: string): unknown;
  pragma(source: string): unknown;
  close(): unknown;
  readonly open: boolean;
  readonly inTransaction: boolean;
}

/**
 * How long a statement waits for another connection's lock before failing. Generous because a
 * nightly load may have to wait for the application's readers to let go of staging at commit.
 */
const BUSY_TIMEOUT_MS = 30_000;

/** The path as given, with its absolute form when that differs, so a cron log names the file exactly. */
function describe(path: string): string {
  const absolute = resolve(path);
  return absolute === path ? path : `${path} (${absolute})`;
}

/** The driver's message, without row values (through the one redaction every engine's errors take). */
export function errorMessage(error: unknown): string {
  return withoutValues(describeError(error));
}

export interface OpenOptions {
  readonly: boolean;
  /** Create the file when missing: for files masque makes itself (the demo, tests) and the target
   *  of `--create-schema`. */
  create?: boolean;
}

/**
 * Opens a database file. By default only an existing one: a missing source is a typo, and a
 * missing target means the application's migrations have not run.
 */
export function openDatabase(path: string, options: OpenOptions): SqliteDatabase {
  const create = options.create === true && !options.readonly;
  if (!create && !existsSync(path)) throw new DatabaseError(`SQLite database file not found: ${describe(path)}`);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: options.readonly, fileMustExist: !create, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw new DatabaseError(`cannot open SQLite database ${describe(path)}: ${errorMessage(error)}`, { cause: error });
  }
  try {
    // Opening is lazy: only the first read finds out whether the file is a database at all.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
  } catch (error) {
    db.close();
    throw new DatabaseError(`cannot read SQLite database ${describe(path)}: ${errorMessage(error)}`, { cause: error });
  }
  return db;
}

/**
 * Opens a file masque keeps for itself beside the target (the staging file, the lock file),
 * creating it when missing, with better-sqlite3's defaults unless `options` says otherwise.
 */
export function openOwnFile(path: string, options: { timeout?: number } = {}): SqliteDatabase {
  return new Database(path, options);
}
