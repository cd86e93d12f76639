import { hostname } from 'node:os';
import { DatabaseError } from '../../errors.ts';
import type { LockAttempt } from '../dialect.ts';
import { stagingNames } from '../staging.ts';
import { errorMessage, openOwnFile, type SqliteDatabase } from './sqlite-driver.ts';

/** The lock file of a target: `<target>.masque-lock`. */
export const lockPathOf = (target: string): string => `${target}${stagingNames.lockSuffix}`;

const isBusy = (error: unknown): boolean => /^SQLITE_BUSY/.test((error as { code?: string }).code ?? '');

/**
 * Takes the run lock of a SQLite target: a write transaction held open on the lock file, itself
 * a small SQLite database. The lock is the operating system's (fcntl) lock under that
 * transaction, which the kernel drops when the process ends, however it ends: a `kill -9` leaves
 * no stale lock and a reused pid cannot keep one alive. The holder's pid, host and start time are
 * committed first, so a second run can read them and say who holds the lock.
 * The file stays after the run: removing it while another run opens it would let two runs lock
 * two different files.
 */
export function tryLockSqlite(target: string): LockAttempt {
  const path = lockPathOf(target);
  let db: SqliteDatabase;
  try {
    db = openOwnFile(path, { timeout: 0 });
  } catch (error) {
    throw new DatabaseError(`cannot open the lock file ${path}: ${errorMessage(error)}`, { cause: error });
  }
  const held = (): LockAttempt => {
    const holder = readHolder(db);
    db.close();
    return { acquired: false, holder: `${holder ?? 'another process'} holds the lock file ${path}` };
  };
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER, host TEXT, since TEXT)');
    db.exec('DELETE FROM holder');
    db.prepare('INSERT INTO holder VALUES (?, ?, ?)').run(process.pid, hostname(), new Date().toISOString());
    // A reader may hold the file for a moment: wait for it rather than give up the lock.
    db.pragma('busy_timeout = 5000');
    db.exec('COMMIT');
    db.pragma('busy_timeout = 0');
    // Another run may have taken the lock in the instant between the two transactions.
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    if (isBusy(error)) return held();
    db.close();
    throw new DatabaseError(`cannot take the lock file ${path}: ${errorMessage(error)}`, { cause: error });
  }
  return { acquired: true, release: async () => void (db.open && db.close()) };
}

function readHolder(db: SqliteDatabase): string | undefined {
  try {
    const row = db.prepare('SELECT pid, host, since FROM holder').get() as
      | { pid: number; host: string; since: string }
      | undefined;
    return row && `process ${row.pid} on ${row.host} (since ${row.since})`;
  } catch {
    return undefined;
  }
}
