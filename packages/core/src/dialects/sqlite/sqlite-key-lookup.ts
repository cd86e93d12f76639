import type { KeyLookup, ReadRequest, Value } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import type { SqliteDatabase } from './sqlite-driver.ts';
import { quoteIdentifier } from './sqlite-sql.ts';

/**
 * A subset's lookup by key as the ReadRequest the reader iterates: `k IN (…)`, or `(a, b) IN
 * (VALUES (…), …)` for several columns (row values, SQLite 3.15+), both answered through an index
 * on those columns where there is one. Values go in as literals of their own storage class, so
 * an INTEGER key is compared as an integer, a BLOB as a blob.
 */
export function sqliteLookupRequest(lookup: KeyLookup): ReadRequest {
  const { keyColumns, keys, where, ...read } = lookup;
  const one = keyColumns.length === 1;
  const condition = one
    ? `${quoteIdentifier(keyColumns[0]!)} IN (${keys.map((key) => literal(key[0]!)).join(', ')})`
    : `(${keyColumns.map(quoteIdentifier).join(', ')}) IN (VALUES ${keys
        .map((key) => `(${key.map(literal).join(', ')})`)
        .join(', ')})`;
  return { ...read, where: where ? `${condition} AND (${where})` : condition };
}

function literal(value: Value): string {
  if (value === null) return 'NULL';
  if (Buffer.isBuffer(value)) return `X'${value.toString('hex')}'`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `'${String(value)}'`;
  if (typeof value === 'boolean') return value ? '1' : '0';
  return `'${value.replaceAll("'", "''")}'`;
}

/** `count(*)` of a table in the connection's read transaction. */
export function countSqliteRows(db: SqliteDatabase, table: TableInfo): number {
  const row = db
    .prepare(`SELECT count(*) FROM ${quoteIdentifier(table.table)}`)
    .raw(true)
    .get() as [number];
  return Number(row[0]);
}
