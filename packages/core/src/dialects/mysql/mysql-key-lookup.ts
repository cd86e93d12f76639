import type { KeyLookup, ReadRequest, Value } from '../dialect.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { quoteIdentifier, sqlLiteral } from './mysql-sql.ts';

/**
 * A subset's lookup by key as the ReadRequest the reader streams: `k IN (…)`, or `(a, b) IN
 * ((…), …)` for several columns, in the snapshot. Both are answered through the index on those
 * columns: MariaDB turns a list of more than `in_predicate_conversion_threshold` (1,000) values
 * into a table of them joined to the index (`eq_ref` on a primary key), MySQL 8 reads them as
 * ranges of it.
 */
export function mysqlLookupRequest(lookup: KeyLookup): ReadRequest {
  const { keyColumns, keys, where, ...read } = lookup;
  const one = keyColumns.length === 1;
  const tuple = (key: Value[]): string => (one ? literal(key[0]!) : `(${key.map(literal).join(', ')})`);
  const columns = one ? quoteIdentifier(keyColumns[0]!) : `(${keyColumns.map(quoteIdentifier).join(', ')})`;
  const condition = `${columns} IN (${keys.map(tuple).join(', ')})`;
  return { ...read, where: where ? `${condition} AND (${where})` : condition };
}

/** Whole numbers as they are, so an integer key is compared as one; the rest as the loaders write it. */
function literal(value: Value): string {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return sqlLiteral(value, false);
}

/** `COUNT(*)` of a table in the session's snapshot. */
export async function countMysqlRows(session: MysqlSession, table: TableInfo): Promise<number> {
  const [row] = await session.rows(`SELECT COUNT(*) FROM ${quoteIdentifier(table.table)}`).catch((err: unknown) => {
    throw statementError(`counting the rows of table ${quoteIdentifier(table.table)}`, err);
  });
  return Number(row?.[0] ?? 0);
}
