import { DatabaseError } from '../../errors.ts';
import type { RowPatch, Value } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { quoteIdentifier } from './postgres-sql.ts';

/**
 * Applies a patch to a shadow in one statement: the rows' keys and new values go as text arrays,
 * cast to the columns' own types, and are joined to the shadow by its key. The shadow has no
 * index, so one hash join over it, not one scan per row.
 */
export async function patchRows(db: PgQueryable, shadow: string, table: TableInfo, patch: RowPatch): Promise<void> {
  const names = [...patch.keyColumns, patch.column];
  const typeOf = (name: string): string => {
    const column = table.columns.find((c) => c.name === name);
    if (!column) throw new DatabaseError(`patching ${table.name}: it has no column ${quoteIdentifier(name)}`);
    return column.dataType;
  };
  const keys = patch.keyColumns.map((name, i) => `s.${quoteIdentifier(name)} = p.v${i}::${typeOf(name)}`);
  const last = names.length - 1;
  const arrays = names.map((_, i) => `$${i + 1}::text[]`).join(', ');
  const fields = names.map((_, i) => `v${i}`).join(', ');
  const sql =
    `UPDATE ${shadow} AS s SET ${quoteIdentifier(patch.column)} = p.v${last}::${typeOf(patch.column)} ` +
    `FROM unnest(${arrays}) AS p(${fields}) WHERE ${keys.join(' AND ')}`;
  const values = names.map((_, i) => patch.rows.map((row) => text(row[i] ?? null)));
  const result = await db.query(sql, values);
  if (result.rowCount !== patch.rows.length) {
    throw new DatabaseError(
      `patching ${table.name}: ${patch.rows.length} rows to change, ${result.rowCount} found by their key`,
    );
  }
}

/** A value as PostgreSQL's text input reads it. */
function text(value: Value): string | null {
  if (value === null) return null;
  if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return String(value);
}
