import type { PgQueryable } from './postgres-driver.ts';
import type { TableInfo } from '../schema.ts';
import { quoteTable } from './postgres-driver.ts';

/**
 * Every foreign key into or out of `tables`, each with the query counting its orphans: child
 * rows whose key (all parts non-NULL, as MATCH SIMPLE) has no parent row. Keys coming in matter
 * as much as keys going out: replacing a parent's rows can orphan rows of a table not loaded.
 * Only top-level constraints: a partitioned table's key covers its partitions.
 */
const keysSql = `
  SELECT con.conname AS name,
         cn.nspname || '.' || c.relname AS child, pn.nspname || '.' || p.relname AS parent,
         format('SELECT count(*)::int AS n FROM %I.%I c WHERE %s AND NOT EXISTS (SELECT 1 FROM %I.%I p WHERE %s)',
           cn.nspname, c.relname,
           (SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ') FROM unnest(con.conkey) k
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k),
           pn.nspname, p.relname,
           (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ') FROM unnest(con.conkey, con.confkey) k(c, p)
              JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.c
              JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.p)) AS orphans
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
  JOIN pg_class p ON p.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
  WHERE con.contype = 'f' AND con.conparentid = 0
    AND (con.conrelid = ANY($1::regclass[]) OR con.confrelid = ANY($1::regclass[]))
  ORDER BY 2, 1`;

/** Every foreign key into or out of `tables` that the rows now break, as `fk (child → parent): N rows`. */
export async function brokenForeignKeys(db: PgQueryable, tables: TableInfo[]): Promise<string[]> {
  const { rows: keys } = await db.query(keysSql, [tables.map(quoteTable)]);
  const broken: string[] = [];
  for (const fk of keys) {
    const { rows } = await db.query(fk.orphans);
    if (rows[0].n > 0) broken.push(`${fk.name} (${fk.child} → ${fk.parent}): ${rows[0].n} row(s) without a parent`);
  }
  return broken;
}
