import type { PgQueryable } from './postgres-driver.ts';
import type { TableInfo } from '../schema.ts';
import { quoteIdent, quoteTable } from './postgres-driver.ts';

/** A foreign key: `child (columns) → parent (referencedColumns)`, tables by qualified name. */
export interface PgForeignKey {
  name: string;
  child: string;
  parent: string;
  /** `schema.table`, quoted, of each side. */
  childRelation: string;
  parentRelation: string;
  columns: string[];
  referencedColumns: string[];
}

/**
 * Every foreign key into or out of `tables`. Keys coming in matter as much as keys going out:
 * replacing a parent's rows can orphan rows of a table not loaded. Only top-level constraints: a
 * partitioned table's key covers its partitions.
 */
const keysSql = `
  SELECT con.conname AS name,
         cn.nspname || '.' || c.relname AS child, pn.nspname || '.' || p.relname AS parent,
         format('%I.%I', cn.nspname, c.relname) AS child_relation, format('%I.%I', pn.nspname, p.relname) AS parent_relation,
         (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
            JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) AS columns,
         (SELECT array_agg(a.attname::text ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
            JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) AS referenced_columns
  FROM pg_constraint con
  JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
  JOIN pg_class p ON p.oid = con.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
  WHERE con.contype = 'f' AND con.conparentid = 0
    AND (con.conrelid = ANY($1::regclass[]) OR con.confrelid = ANY($1::regclass[]))
  ORDER BY 2, 1`;

export async function foreignKeysOf(db: PgQueryable, tables: TableInfo[]): Promise<PgForeignKey[]> {
  const { rows } = await db.query(keysSql, [tables.map(quoteTable)]);
  return rows.map((r) => ({
    name: r.name, child: r.child, parent: r.parent, childRelation: r.child_relation, parentRelation: r.parent_relation,
    columns: r.columns, referencedColumns: r.referenced_columns,
  }));
}

/**
 * The keys whose rows are broken, as `fk (child → parent): N rows`: child rows whose key (all
 * parts non-NULL, as MATCH SIMPLE) has no parent row. `readFrom` names the relation holding a
 * table's rows when not the table itself (a staged shadow).
 */
export async function brokenKeys(db: PgQueryable, keys: PgForeignKey[], readFrom: (table: string) => string | undefined = () => undefined): Promise<string[]> {
  const broken: string[] = [];
  for (const fk of keys) {
    const notNull = fk.columns.map((c) => `c.${quoteIdent(c)} IS NOT NULL`).join(' AND ');
    const match = fk.columns.map((c, i) => `p.${quoteIdent(fk.referencedColumns[i]!)} = c.${quoteIdent(c)}`).join(' AND ');
    const child = readFrom(fk.child) ?? fk.childRelation;
    const parent = readFrom(fk.parent) ?? fk.parentRelation;
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM ${child} c WHERE ${notNull} AND NOT EXISTS (SELECT 1 FROM ${parent} p WHERE ${match})`);
    if (rows[0].n > 0) broken.push(`${fk.name} (${fk.child} → ${fk.parent}): ${rows[0].n} row(s) without a parent`);
  }
  return broken;
}
