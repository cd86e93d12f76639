import type { Row } from '../dialect.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { quoteIdentifier } from './mysql-sql.ts';

/**
 * The source version of each table for `--resume`: `CHECKSUM TABLE`, run inside the snapshot on
 * `session`. InnoDB computes it from the rows the snapshot sees, so it is exact (up to CRC
 * collisions) but reads every table once more.
 */
export async function sourceVersionsOf(session: MysqlSession, tables: TableInfo[]): Promise<Map<string, string>> {
  if (tables.length === 0) return new Map();
  let rows: Row[];
  try {
    rows = await session.rows(`CHECKSUM TABLE ${tables.map((t) => quoteIdentifier(t.table)).join(', ')}`);
  } catch (err) {
    throw statementError('reading the source version (CHECKSUM TABLE)', err);
  }
  // Rows name `database.table`, in the order asked.
  return new Map(tables.map((t, i) => [t.name, `checksum:${String(rows[i]?.[1] ?? 'none')}`]));
}
