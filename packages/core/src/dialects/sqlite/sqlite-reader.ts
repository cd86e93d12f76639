import type { Batch, ReadRequest, Row, SnapshotReader } from '../dialect.ts';
import { DatabaseError, MasqueError } from '../../errors.ts';
import { whereClause } from '../key-range.ts';
import { errorMessage, openDatabase, type SqliteDatabase } from './sqlite-driver.ts';
import { countSqliteRows, sqliteLookupRequest } from './sqlite-key-lookup.ts';
import { fileState, sourceVersionsOf } from './sqlite-source-version.ts';
import { quoteIdentifier } from './sqlite-sql.ts';

/** Rows per batch: big enough to amortise the stages' per-batch work, small enough to stay cheap. */
export const BATCH_SIZE = 1000;

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Integers are read as bigint so one above 2^53 is never rounded; those a double holds exactly
 * become numbers again, which is what the other stages expect of an ordinary id or count.
 * REAL values stay numbers either way, so the storage class survives the round trip.
 */
function toRow(values: unknown[]): Row {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'bigint' && value >= MIN_SAFE && value <= MAX_SAFE) values[i] = Number(value);
  }
  return values as Row;
}

/**
 * Opens a read-only connection and starts one read transaction, so every table is read from the
 * same snapshot. In rollback-journal mode that transaction keeps writers from committing until
 * `close()`; in WAL mode they carry on and the snapshot simply does not see their changes.
 */
export function openSqliteSnapshot(path: string): SnapshotReader {
  const db = openDatabase(path, { readonly: true });
  const before = fileState(path);
  let after: string;
  try {
    // BEGIN is deferred: the snapshot is taken by the first read, so read once now.
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    after = fileState(path);
  } catch (error) {
    db.close();
    throw new DatabaseError(`cannot start a read transaction on ${path}: ${errorMessage(error)}`, { cause: error });
  }
  // better-sqlite3 refuses to close a connection while a statement iterator is open.
  const open = new Set<IterableIterator<unknown>>();
  return {
    read: (request) => readTable(db, open, request),
    // A subset's lookup by key: a read whose filter holds the keys (sqlite-key-lookup.ts).
    readByKeys: (lookup) => readTable(db, open, sqliteLookupRequest(lookup)),
    countRows: async (table) => {
      if (!db.open) throw new DatabaseError(`cannot count table "${table.name}": the snapshot is closed`);
      try {
        return countSqliteRows(db, table);
      } catch (error) {
        throw new DatabaseError(`cannot count table "${table.name}": ${errorMessage(error)}`, { cause: error });
      }
    },
    sourceVersions: async (tables) => sourceVersionsOf(before, after, tables),
    async close() {
      for (const rows of open) rows.return?.();
      open.clear();
      if (db.open) db.close();
    },
  };
}

async function* readTable(
  db: SqliteDatabase,
  open: Set<IterableIterator<unknown>>,
  request: ReadRequest,
): AsyncGenerator<Batch> {
  const { table, columns, where, conditions = [], range } = request;
  const fail = (error: unknown): never => {
    if (error instanceof MasqueError) throw error;
    throw new DatabaseError(`cannot read table "${table.name}": ${errorMessage(error)}`, { cause: error });
  };
  const selected = [...columns.map(quoteIdentifier), ...conditions.map((c) => `(${c})`)].join(', ');
  const sql = `SELECT ${selected} FROM ${quoteIdentifier(table.table)}${whereClause(where, range, quoteIdentifier)}`;
  let rows: IterableIterator<unknown>;
  try {
    if (!db.open) throw new DatabaseError('the snapshot is closed');
    rows = db.prepare(sql).raw(true).safeIntegers(true).iterate();
  } catch (error) {
    return fail(error);
  }
  open.add(rows);
  try {
    let batch: Batch = [];
    for (;;) {
      let next: IteratorResult<unknown>;
      try {
        next = rows.next();
      } catch (error) {
        return fail(error);
      }
      if (next.done) break;
      batch.push(toRow(next.value as unknown[]));
      if (batch.length === BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    // Runs on early exit too (a consumer's break or error), which frees the connection.
    open.delete(rows);
    rows.return?.();
  }
}
