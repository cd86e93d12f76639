/**
 * The target's materialized views over the loaded tables, refreshed inside the load's transaction
 * once the new rows are in place: otherwise they would go on showing the rows that were replaced,
 * or production's, for a view created with `--create-schema` and filled from the source.
 */
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { quoteTable } from './postgres-sql.ts';

export interface MaterializedView {
  /** Quoted `schema.name`. */
  relation: string;
  /** `schema.name`, for messages. */
  name: string;
  /** The session may refresh it: owns it (a member of its owner role), or is superuser. */
  owned: boolean;
  /** Populated, with a unique index on plain columns over every row: refreshed CONCURRENTLY. */
  concurrently: boolean;
}

/**
 * Every materialized view reading a loaded table, directly or through views and other materialized
 * views (a view's query depends on what it reads through its rewrite rule, in `pg_depend`), each
 * after the ones it reads: ordered by the longest path from a loaded table, which is longer for a
 * view than for any view it reads. A view that reads a table only inside a function is not seen.
 */
const viewsSql = (canRefresh: string): string => `
  WITH RECURSIVE reads(rel, depth) AS (
    SELECT DISTINCT r.ev_class, 1
    FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
    WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
      AND d.refobjid = ANY($1::regclass[]) AND r.ev_class <> d.refobjid
    UNION
    SELECT r.ev_class, reads.depth + 1
    FROM reads JOIN pg_depend d ON d.refobjid = reads.rel
      AND d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
    JOIN pg_rewrite r ON r.oid = d.objid AND r.ev_class <> d.refobjid
    WHERE reads.depth < 64
  )
  SELECT format('%I.%I', n.nspname, c.relname) AS relation, n.nspname || '.' || c.relname AS name,
         ${canRefresh} AS owned,
         c.relispopulated AND EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.oid AND i.indisunique
           AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL) AS concurrently
  FROM (SELECT rel, max(depth) AS depth FROM reads GROUP BY rel) v
  JOIN pg_class c ON c.oid = v.rel JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind = 'm'
  ORDER BY v.depth, 2`;

export async function dependentMaterializedViews(db: PgQueryable, tables: TableInfo[]): Promise<MaterializedView[]> {
  const { rows } = await db.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version");
  // REFRESH needs ownership; PostgreSQL 17 also lets the MAINTAIN privilege do it.
  const canRefresh =
    rows[0]!.version >= 170000
      ? "(pg_has_role(c.relowner, 'USAGE') OR has_table_privilege(c.oid, 'MAINTAIN'))"
      : "pg_has_role(c.relowner, 'USAGE')";
  return (await db.query<MaterializedView>(viewsSql(canRefresh), [tables.map(quoteTable)])).rows;
}

/**
 * Refreshes each view, in order, in the load's transaction: the new contents show at its commit,
 * with the tables'. CONCURRENTLY where PostgreSQL allows it, so that readers of the view are not
 * blocked until then (a plain REFRESH takes an ACCESS EXCLUSIVE lock); a view never filled yet
 * (`WITH NO DATA`) is filled.
 */
export async function refreshMaterializedViews(db: PgQueryable, views: MaterializedView[]): Promise<void> {
  for (const view of views) {
    const how = view.concurrently ? 'CONCURRENTLY ' : '';
    await db.query(`REFRESH MATERIALIZED VIEW ${how}${view.relation}`).catch((error: unknown) => {
      throw statementError(`refreshing the materialized view ${view.name}`, error);
    });
  }
}
