/**
 * The fallback write path, for servers with `local_infile` off: multi-row INSERT statements.
 * Slower than LOAD DATA, but strict mode makes every bad value an error at once.
 */
import { DatabaseError } from '../../errors.ts';
import type { Batch } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { statementError } from '../driver-error.ts';
import type { ExecResult, MysqlSession } from './mysql-driver.ts';
import { failOnWarnings, quoteIdentifier, sqlLiteral } from './mysql-sql.ts';
import { loadsAsHex } from './mysql-types.ts';

/** A statement is sent at this many rows or about this many characters, whichever comes first. */
const statementRows = 1000;
const defaultStatementChars = 4 << 20;

/**
 * Inserts all batches with multi-row INSERTs of at most `maxChars` characters each (a character
 * takes up to 3 bytes of the server's max_allowed_packet) into `into` (the table itself, or its
 * shadow); resolves to the rows written. Messages name the table.
 */
export async function insertRows(
  session: MysqlSession,
  table: TableInfo,
  columns: string[],
  batches: AsyncIterable<Batch>,
  maxChars = defaultStatementChars,
  into = table.table,
): Promise<number> {
  const subject = `loading table ${quoteIdentifier(table.table)}`;
  const hex = columns.map((name) => loadsAsHex(table.columns.find((c) => c.name === name)));
  const head = `INSERT INTO ${quoteIdentifier(into)} (${columns.map(quoteIdentifier).join(', ')}) VALUES `;
  let tuples: string[] = [];
  let chars = head.length;
  let written = 0;

  const flush = async (): Promise<void> => {
    if (tuples.length === 0) return;
    const count = tuples.length;
    const sql = head + tuples.join(',');
    tuples = [];
    chars = head.length;
    let result: ExecResult;
    try {
      result = await session.exec(sql);
    } catch (err) {
      throw statementError(subject, err);
    }
    await failOnWarnings(session, subject, result.warningStatus);
    if (result.affectedRows !== count) {
      throw new DatabaseError(`${subject}: sent ${count} rows but the server stored ${result.affectedRows}`);
    }
    written += count;
  };

  for await (const batch of batches) {
    for (const row of batch) {
      if (row.length !== columns.length) {
        throw new DatabaseError(`${subject}: a row has ${row.length} values for ${columns.length} columns`);
      }
      const tuple = `(${row.map((v, i) => sqlLiteral(v, hex[i]!)).join(',')})`;
      if (tuples.length >= statementRows || chars + tuple.length + 1 > maxChars) await flush();
      tuples.push(tuple);
      chars += tuple.length + 1;
    }
  }
  await flush();
  return written;
}
