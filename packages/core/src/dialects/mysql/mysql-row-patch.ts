import { DatabaseError } from '../../errors.ts';
import type { RowPatch } from '../dialect.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { quoteIdentifier } from './mysql-sql.ts';

/**
 * Applies a patch to a shadow, a statement per row found through its primary key, which InnoDB
 * keeps in every shadow: the rows are the few whose unique value was repaired.
 */
export async function patchRows(session: MysqlSession, shadow: string, patch: RowPatch): Promise<void> {
  const where = patch.keyColumns.map((name) => `${quoteIdentifier(name)} = ?`).join(' AND ');
  const sql = `UPDATE ${quoteIdentifier(shadow)} SET ${quoteIdentifier(patch.column)} = ? WHERE ${where}`;
  const last = patch.keyColumns.length;
  for (const row of patch.rows) {
    const result = await session.exec(sql, { params: [row[last], ...row.slice(0, last)] });
    if (result.affectedRows !== 1) {
      throw new DatabaseError(`patching ${quoteIdentifier(shadow)}: a row to change was not found by its key`);
    }
  }
}
