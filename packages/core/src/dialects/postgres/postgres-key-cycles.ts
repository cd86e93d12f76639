/**
 * Foreign keys that no load order can satisfy: a cycle among the loaded tables (store ↔ staff)
 * of keys that are NOT DEFERRABLE. Where masque may not SET session_replication_role, the keys'
 * internal triggers stay on (switching those off needs superuser, even for the owner), so tables
 * move in foreign-key order and deferrable keys wait for the commit; a cycle of the others fails
 * on the first row that points across it. Whether it does depends on the rows (a key left NULL
 * never fails), so the cycle is not refused up front: its failure is told in plain words instead
 * of the server's raw constraint error.
 */
import { DatabaseError } from '../../errors.ts';
import type { TableInfo } from '../schema.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { quoteTable } from './postgres-sql.ts';

export interface KeyCycle {
  /** The tables of the cycle (partitions as their root), in name order. */
  tables: string[];
  /** Every not-deferrable key between them, partitions' own and cloned ones included. */
  keys: string[];
}

/** Not-deferrable keys between loaded relations, each end as its partition root's `schema.table`. */
const keysSql = `
  SELECT con.conname AS name,
         (SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.oid = coalesce(pg_partition_root(con.conrelid), con.conrelid)) AS child,
         (SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE c.oid = coalesce(pg_partition_root(con.confrelid), con.confrelid)) AS parent
  FROM pg_constraint con
  WHERE con.contype = 'f' AND NOT con.condeferrable
    AND con.conrelid = ANY($1::regclass[]) AND con.confrelid = ANY($1::regclass[])
  ORDER BY 1`;

/** The cycles of not-deferrable keys among `tables` (partitions included); self-references are no cycle. */
export async function keyCycles(db: PgQueryable, tables: TableInfo[]): Promise<KeyCycle[]> {
  const { rows } = await db.query<{ name: string; child: string; parent: string }>(keysSql, [tables.map(quoteTable)]);
  const edges = rows.filter((r) => r.child !== r.parent);
  return stronglyConnected(edges).map((members) => ({
    tables: [...members].sort(),
    keys: [...new Set(edges.filter((e) => members.has(e.child) && members.has(e.parent)).map((e) => e.name))],
  }));
}

/** Tarjan's strongly connected components of more than one table: each is (or holds) a cycle. */
function stronglyConnected(edges: { child: string; parent: string }[]): Set<string>[] {
  const next = new Map<string, string[]>();
  for (const { child, parent } of edges) (next.get(child) ?? next.set(child, []).get(child)!).push(parent);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: Set<string>[] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (stack.includes(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) !== index.get(node)) return;
    const component = new Set<string>();
    for (let member = stack.pop()!; ; member = stack.pop()!) {
      component.add(member);
      if (member === node) break;
    }
    if (component.size > 1) components.push(component);
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return components;
}

/**
 * A statement's failure about `subject`: when it broke a key of one of `cycles`, a DatabaseError
 * that names the cycle and what would let the load through; otherwise `error` itself.
 */
export function cycleError(subject: string, error: unknown, cycles: KeyCycle[]): unknown {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  const cycle = code === '23503' && cycles.find((c) => constraint !== undefined && c.keys.includes(constraint));
  if (!cycle) return error;
  return new DatabaseError(
    `${subject}: the foreign keys ${cycle.keys.join(', ')} make a cycle between ${cycle.tables.join(', ')} ` +
      'and are NOT DEFERRABLE, so no order of the tables satisfies them while their checks stay on: make them ' +
      'DEFERRABLE (masque defers them to its commit), or let masque SET session_replication_role ' +
      '(superuser, or GRANT SET ON PARAMETER session_replication_role on PostgreSQL 15+)',
  );
}
