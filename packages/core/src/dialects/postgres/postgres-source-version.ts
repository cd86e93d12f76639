/**
 * Source versions for `--resume`, from the statistics PostgreSQL keeps anyway: per table (a
 * partitioned table with all its partitions), the rows ever inserted, updated and deleted
 * (`pg_stat_user_tables`) and the data file (`pg_relation_filenode`, which TRUNCATE and rewrites
 * change while the counters do not). Cheap, but not exact: docs/atomic-refresh.md lists the limits.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { TableInfo } from '../schema.ts';
import type { PgQueryable } from './postgres-driver.ts';

const countersSql = `
  SELECT rn.nspname || '.' || r.relname AS name,
         string_agg(concat_ws(':', c.oid, pg_relation_filenode(c.oid), s.n_tup_ins, s.n_tup_upd, s.n_tup_del), ','
                    ORDER BY c.oid) AS counters
  FROM pg_stat_user_tables s
  JOIN pg_class c ON c.oid = s.relid
  JOIN pg_class r ON r.oid = coalesce(pg_partition_root(c.oid), c.oid)
  JOIN pg_namespace rn ON rn.oid = r.relnamespace
  GROUP BY 1`;

/** The counters of every user table, by qualified name; read afresh, not from the transaction's cache. */
export async function readCounters(db: PgQueryable): Promise<Map<string, string>> {
  await db.query('SELECT pg_stat_clear_snapshot()');
  const { rows } = await db.query<{ name: string; counters: string }>(countersSql);
  return new Map(rows.map((r) => [r.name, r.counters]));
}

/**
 * One version per table from the counters read just before and just after the snapshot
 * began. A table whose counters moved in between may or may not be in the snapshot: `unstable`.
 */
export function sourceVersionsOf(
  before: Map<string, string>,
  after: Map<string, string>,
  tables: TableInfo[],
): Map<string, string> {
  return new Map(
    tables.map((t) => {
      const now = after.get(t.name) ?? 'no statistics';
      const stable = before.get(t.name) === after.get(t.name);
      if (!stable) return [t.name, `unstable:${randomUUID()}`];
      return [t.name, createHash('sha256').update(`${t.name}\n${now}`).digest('hex')];
    }),
  );
}
