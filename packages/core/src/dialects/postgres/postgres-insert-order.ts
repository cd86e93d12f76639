import type pg from 'pg';
import type { TableInfo } from '../schema.ts';
import { quoteIdentifier, quoteTable } from './postgres-sql.ts';

/**
 * The ORDER BY of rows moving into `table`: the columns of its first secondary B-tree index,
 * unique ones first (an email, a code: random order, the widest), or '' when it has none that the
 * moved columns cover. Inserting a part's rows in that index's order touches each of its pages
 * once instead of at random: once the index outgrows shared buffers, random inserts miss the cache
 * for most rows, which makes big tables move markedly slower.
 */
export async function insertOrder(db: pg.ClientBase, table: TableInfo, columns: string[]): Promise<string> {
  const { rows } = await db.query<{ columns: string[] }>(
    `SELECT array(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                  ORDER BY k.n)::text[] AS columns
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indrelid = $1::regclass AND NOT i.indisprimary AND am.amname = 'btree'
       AND i.indexprs IS NULL AND i.indpred IS NULL
     ORDER BY i.indisunique DESC, i.indexrelid`,
    [quoteTable(table)],
  );
  const index = rows.find((r) => r.columns.every((c) => columns.includes(c)));
  return index ? ` ORDER BY ${index.columns.map(quoteIdentifier).join(', ')}` : '';
}
