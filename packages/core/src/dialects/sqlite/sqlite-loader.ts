import type { Batch, Loader, Value, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { DatabaseError } from '../../errors.ts';
import { errorMessage, openDatabase, quoteIdentifier, type SqliteDatabase } from './sqlite-driver.ts';

/**
 * better-sqlite3 binds every number as a REAL, which would store 5 as 5.0 in an untyped column
 * and as '5.0' in a TEXT one; whole numbers are bound as integers instead. Column affinity turns
 * them back into REALs in REAL columns; only a whole REAL in an untyped column comes out as an
 * INTEGER (the reader cannot tell 7.0 from 7 once both are numbers). SQLite has no boolean.
 */
function toSqlite(value: Value): unknown {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? BigInt(value) : value;
  if (typeof value === 'boolean') return value ? 1n : 0n;
  return value;
}

interface Violation {
  table: string;
  parent: string;
  n: number;
}

/**
 * Starts the all-or-nothing load: one connection, foreign-key enforcement off (so tables load in
 * any order, cycles included), one `BEGIN IMMEDIATE` transaction that empties `tables`, takes
 * every row, and is checked and committed at the end. Until then readers see the old rows.
 */
export function beginSqliteLoad(path: string, tables: TableInfo[]): Loader {
  const db = openDatabase(path, { readonly: false });
  try {
    // This pragma is a silent no-op inside a transaction, so it must come first.
    db.exec('PRAGMA foreign_keys = OFF');
    db.exec('BEGIN IMMEDIATE');
    for (const table of tables) db.exec(`DELETE FROM ${quoteIdentifier(table.table)}`);
  } catch (error) {
    // Closing with the transaction open rolls it back.
    db.close();
    throw new DatabaseError(`cannot start the load into ${path}: ${errorMessage(error)}`, { cause: error });
  }

  const finish = (statement: 'COMMIT' | 'ROLLBACK'): void => {
    try {
      if (db.open && db.inTransaction) db.exec(statement);
    } finally {
      if (db.open) db.close();
    }
  };

  return {
    async write(request, batches) {
      const insert = prepareInsert(db, request);
      let written = 0;
      for await (const batch of batches) written += insert(batch);
      return written;
    },
    async commit() {
      if (!db.open) throw new DatabaseError('the load is already finished');
      let violations: Violation[];
      try {
        violations = checkForeignKeys(db, tables);
      } catch (error) {
        finish('ROLLBACK');
        throw new DatabaseError(`cannot check foreign keys after the load: ${errorMessage(error)}`, { cause: error });
      }
      if (violations.length > 0) {
        finish('ROLLBACK');
        const details = violations.map((v) => `${v.n} row(s) of "${v.table}" reference missing rows of "${v.parent}"`);
        throw new DatabaseError(`foreign key check failed, nothing was loaded: ${details.join('; ')}`);
      }
      try {
        // Counters need no help: a rowid alias continues after the largest id, and
        // AUTOINCREMENT's sqlite_sequence was raised by the inserts themselves.
        finish('COMMIT');
      } catch (error) {
        // finish() closed the connection, which rolls back a commit that did not happen.
        throw new DatabaseError(`cannot commit the load into ${path}: ${errorMessage(error)}`, { cause: error });
      }
    },
    async rollback() {
      finish('ROLLBACK');
    },
  };
}

/** One prepared INSERT for the table; the returned function writes a batch and counts it. */
function prepareInsert(db: SqliteDatabase, { table, columns }: WriteRequest): (batch: Batch) => number {
  const fail = (error: unknown): never => {
    // SQLite's messages name constraints and columns, never the offending values.
    throw new DatabaseError(`cannot write table "${table.name}": ${errorMessage(error)}`, { cause: error });
  };
  if (!db.open) fail(new Error('the load is already finished'));
  const names = columns.map(quoteIdentifier).join(', ');
  const marks = columns.map(() => '?').join(', ');
  let statement;
  try {
    statement = db.prepare(`INSERT INTO ${quoteIdentifier(table.table)} (${names}) VALUES (${marks})`);
  } catch (error) {
    return fail(error);
  }
  const insert = statement;
  return (batch) => {
    try {
      for (const row of batch) insert.run(row.map(toSqlite));
    } catch (error) {
      fail(error);
    }
    return batch.length;
  };
}

/**
 * Foreign-key violations in the loaded tables and in every table that references one of them
 * (replacing a parent's rows can orphan the children of a table that was not reloaded).
 */
function checkForeignKeys(db: SqliteDatabase, tables: TableInfo[]): Violation[] {
  const toCheck = new Set(tables.map((t) => t.table));
  const children = db.prepare(
    `SELECT DISTINCT s.name AS name FROM sqlite_schema AS s, pragma_foreign_key_list(s.name) AS f
     WHERE s.type = 'table' AND f."table" = ? COLLATE NOCASE`,
  );
  for (const table of tables) for (const child of children.all(table.table) as { name: string }[]) toCheck.add(child.name);
  const check = db.prepare('SELECT "table", parent, count(*) AS n FROM pragma_foreign_key_check(?) GROUP BY "table", parent');
  return [...toCheck].flatMap((name) => check.all(name) as Violation[]);
}
