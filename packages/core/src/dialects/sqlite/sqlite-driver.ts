/**
 * The little of better-sqlite3 this dialect uses, behind a local interface so the driver stays
 * replaceable, plus the helpers every SQLite file shares: URL parsing, opening, quoting.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError, DatabaseError } from '../../errors.ts';
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
  /** Create the file when missing: only for files masque makes itself (the demo, tests). */
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

/** A quoted identifier; Chinook's names need it as much as any name with spaces or quotes. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
