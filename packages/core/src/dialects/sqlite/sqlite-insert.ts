import type { Batch, Value, WriteRequest } from '../dialect.ts';
import { DatabaseError } from '../../errors.ts';
import { errorMessage, type SqliteDatabase, type SqliteStatement } from './sqlite-driver.ts';
import { quoteIdentifier } from './sqlite-sql.ts';

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

/** One prepared INSERT for the table; the returned function writes a batch and counts it. */
export function prepareInsert(db: SqliteDatabase, { table, columns }: WriteRequest): (batch: Batch) => number {
  const fail = (error: unknown): never => {
    // SQLite's messages name constraints and columns, never the offending values.
    throw new DatabaseError(`cannot write table "${table.name}": ${errorMessage(error)}`, { cause: error });
  };
  if (!db.open) fail(new Error('the load is already finished'));
  const names = columns.map(quoteIdentifier).join(', ');
  const marks = columns.map(() => '?').join(', ');
  let statement: SqliteStatement;
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

/** Writes every batch with one prepared INSERT; resolves to the rows written. */
export async function insertBatches(
  db: SqliteDatabase,
  request: WriteRequest,
  batches: AsyncIterable<Batch>,
): Promise<number> {
  const insert = prepareInsert(db, request);
  let written = 0;
  for await (const batch of batches) written += insert(batch);
  return written;
}
