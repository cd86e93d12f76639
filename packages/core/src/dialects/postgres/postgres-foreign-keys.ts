import { brokenKeyMessage, orphanCountSql, type KeyToCheck } from '../orphan-check.ts';
import type { TableInfo } from '../schema.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { quoteIdentifier, quoteTable } from './postgres-sql.ts';
import { shadowOf } from './postgres-staging.ts';

/**
 * Every foreign key into or out of `tables`, tables by qualified name, relations (`schema.table`,
 * quoted) the tables themselves. Keys coming in matter as much as keys going out: replacing a
 * parent's rows can orphan rows of a table not loaded. Only top-level constraints: a partitioned
 * table's key covers its partitions.
 */
const keysSql = `
  SELECT con.conname AS name,
         cn.nspname || '.' || c.relname AS child, pn.nspname || '.' || p.relname AS parent,
         format('%I.%I', cn.nspname, c.relname) AS child_relation,
         format('%I.%I', pn.nspname, p.relname) AS parent_relation,
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

interface KeyRow {
  name: string;
  child: string;
  parent: string;
  child_relation: string;
  parent_relation: string;
  columns: string[];
  referenced_columns: string[];
}

export async function foreignKeysOf(db: PgQueryable, tables: TableInfo[]): Promise<KeyToCheck[]> {
  const { rows } = await db.query<KeyRow>(keysSql, [tables.map(quoteTable)]);
  return rows.map((r) => ({
    name: r.name,
    child: r.child,
    parent: r.parent,
    childRelation: r.child_relation,
    parentRelation: r.parent_relation,
    columns: r.columns,
    referencedColumns: r.referenced_columns,
  }));
}

/**
 * The keys whose rows are broken, each as `brokenKeyMessage` words it: child rows whose key (all
 * parts non-NULL, as MATCH SIMPLE) has no parent row. `readFrom` names the relation holding a
 * table's rows when not the table itself (a staged shadow).
 */
export async function brokenKeys(
  db: PgQueryable,
  keys: KeyToCheck[],
  readFrom: (table: string) => string | undefined = () => undefined,
): Promise<string[]> {
  const broken: string[] = [];
  for (const fk of keys) {
    const relations = {
      childRelation: readFrom(fk.child) ?? fk.childRelation,
      parentRelation: readFrom(fk.parent) ?? fk.parentRelation,
    };
    const { rows } = await db.query<{ count: string }>(orphanCountSql({ ...fk, ...relations }, quoteIdentifier));
    const orphans = Number(rows[0]!.count);
    if (orphans > 0) broken.push(brokenKeyMessage(fk, orphans));
  }
  return broken;
}

/** A staged load's keys, split: those checked on its shadows, with what that found, and the rest. */
export interface ShadowKeyCheck {
  broken: string[];
  /** Keys to or from a table without a shadow, for the cut-over transaction to check. */
  rest: KeyToCheck[];
}

/**
 * The keys between staged tables, checked on their shadows, which hold exactly the tables' new
 * rows, committed; `shadows` gives the columns of each table with a shadow. A key needs every one
 * of its columns staged on both sides; the others are left to the cut-over transaction.
 */
export async function checkShadowKeys(
  db: PgQueryable,
  tables: TableInfo[],
  shadows: ReadonlyMap<string, string[]>,
): Promise<ShadowKeyCheck> {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const staged = (table: string, columns: string[]): boolean => {
    const written = shadows.get(table);
    return written !== undefined && columns.every((c) => written.includes(c));
  };
  const keys = await foreignKeysOf(db, tables);
  const onShadows = keys.filter((fk) => staged(fk.child, fk.columns) && staged(fk.parent, fk.referencedColumns));
  const broken = await brokenKeys(db, onShadows, (table) => shadowOf(byName.get(table)!));
  return { broken, rest: keys.filter((fk) => !onShadows.includes(fk)) };
}
