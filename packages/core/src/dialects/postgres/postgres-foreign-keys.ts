import type { PgQueryable } from './postgres-driver.ts';
import { quoteIdent, quoteTable } from './postgres-driver.ts';
import type { ForeignKey, TableInfo } from '../schema.ts';

/** `schema.table` → the parts quoteTable wants. */
function parts(name: string): { schema: string; table: string } {
  const dot = name.indexOf('.');
  return { schema: name.slice(0, dot), table: name.slice(dot + 1) };
}

/** Child rows whose key (all parts non-NULL, as MATCH SIMPLE) has no parent row. */
function orphansSql(fk: ForeignKey): string {
  const child = quoteTable(parts(fk.table));
  const parent = quoteTable(parts(fk.referencedTable));
  const notNull = fk.columns.map((c) => `c.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
  const joins = fk.columns.map((c, i) => `p.${quoteIdent(fk.referencedColumns[i]!)} = c.${quoteIdent(c)}`).join(' AND ');
  return `SELECT count(*)::int AS n FROM ${child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${joins})`;
}

/** Every foreign key of `tables` that the loaded rows break, as `fk (child → parent): N rows`. */
export async function brokenForeignKeys(db: PgQueryable, tables: TableInfo[]): Promise<string[]> {
  const broken: string[] = [];
  for (const fk of tables.flatMap((t) => t.foreignKeys)) {
    const { rows } = await db.query(orphansSql(fk));
    if (rows[0].n > 0) broken.push(`${fk.name} (${fk.table} → ${fk.referencedTable}): ${rows[0].n} row(s) without a parent`);
  }
  return broken;
}
