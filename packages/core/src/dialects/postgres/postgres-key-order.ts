/**
 * Foreign keys that the load's order cannot satisfy, where masque may not SET
 * session_replication_role: the keys' internal triggers then stay on (switching those off needs
 * superuser, even for the owner), tables move parents first and are emptied children first, and
 * keys declared DEFERRABLE wait for masque's own check before the commit. Two kinds remain:
 *
 * - a **cycle** of NOT DEFERRABLE keys among the loaded tables (store ↔ staff) fails on the first
 *   row that points across it, whichever table moves first. Whether any row does depends on the
 *   rows (a key left NULL never fails), so it is not refused up front: its failure is told in
 *   plain words instead of the server's constraint error;
 * - a key into a loaded table **from a table not loaded**, when that table has rows: emptying the
 *   loaded table fails at once (NO ACTION not deferrable, RESTRICT), or worse, changes the table
 *   that was not to be touched (ON DELETE CASCADE, SET NULL, SET DEFAULT). Refused before
 *   anything is written. (With replica role none of these fire, and masque's check of every key
 *   into and out of the loaded tables catches a row left without its parent.)
 */
import { DatabaseError } from '../../errors.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { quoteTable } from './postgres-sql.ts';

export interface KeyCycle {
  /** The tables of the cycle (partitions as their root), in name order. */
  tables: string[];
  /** Every NOT DEFERRABLE key between them, partitions' own and cloned ones included. */
  keys: string[];
}

/** `schema.table` of a relation's partition root (itself when it is no partition). */
const rootName = (oid: string): string => `
  (SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.oid = coalesce(pg_partition_root(${oid}), ${oid}))`;

/** Every key into or out of the loaded relations (`$1`), each end as its partition root. */
const keysSql = `
  SELECT con.conname AS name, con.condeferrable AS deferrable, con.confdeltype::text AS on_delete,
         con.conparentid <> 0 AS cloned,
         con.conrelid = ANY($1::regclass[]) AS child_loaded, con.confrelid = ANY($1::regclass[]) AS parent_loaded,
         ${rootName('con.conrelid')} AS child, ${rootName('con.confrelid')} AS parent,
         format('SELECT EXISTS (SELECT 1 FROM %s WHERE %s)', con.conrelid::regclass,
           (SELECT string_agg(format('%I IS NOT NULL', a.attname), ' AND ') FROM unnest(con.conkey) k
              JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k)) AS has_rows_sql,
         has_table_privilege(con.conrelid, 'SELECT') AS readable
  FROM pg_constraint con
  WHERE con.contype = 'f' AND (con.conrelid = ANY($1::regclass[]) OR con.confrelid = ANY($1::regclass[]))
  ORDER BY 1`;

interface KeyRow {
  name: string;
  deferrable: boolean;
  /** `a` NO ACTION, `r` RESTRICT, `c` CASCADE, `n` SET NULL, `d` SET DEFAULT. */
  on_delete: string;
  cloned: boolean;
  child_loaded: boolean;
  parent_loaded: boolean;
  child: string;
  parent: string;
  has_rows_sql: string;
  readable: boolean;
}

const onDelete: Record<string, string> = { c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
const orReplica =
  'or let masque SET session_replication_role (superuser, or GRANT SET ON PARAMETER session_replication_role ' +
  'on PostgreSQL 15+)';

/** What `checkKeyOrder` found. */
export interface KeyOrder {
  /** Each key from a table not loaded that would stop the DELETEs or be changed by them, in words. */
  problems: string[];
  /** The cycles of NOT DEFERRABLE keys among the tables, for `keyOrderError`. */
  cycles: KeyCycle[];
}

/** The keys that fight a load of `tables` (partitions included) without replica role. */
export async function checkKeyOrder(db: PgQueryable, tables: TableInfo[]): Promise<KeyOrder> {
  const { rows } = await db.query<KeyRow>(keysSql, [tables.map(quoteTable)]);
  const problems: string[] = [];
  for (const key of rows.filter((k) => k.parent_loaded && !k.child_loaded && !k.cloned)) {
    if (!onDelete[key.on_delete] && key.deferrable && key.on_delete === 'a') continue; // masque checks it first
    // A table masque may not read is taken to have rows: its key is checked as its owner anyway.
    if (key.readable && !(await db.query<{ exists: boolean }>(key.has_rows_sql)).rows[0]!.exists) continue;
    problems.push(blockingKeyProblem(key));
  }
  const edges = rows.filter((k) => k.child_loaded && k.parent_loaded && !k.deferrable && k.child !== k.parent);
  const cycles = stronglyConnected(edges).map((members) => ({
    tables: [...members].sort(),
    keys: [...new Set(edges.filter((e) => members.has(e.child) && members.has(e.parent)).map((e) => e.name))],
  }));
  return { problems, cycles };
}

/** Why a key from a table not loaded stops the load, and what would let it through. */
function blockingKeyProblem(key: KeyRow): string {
  const action = onDelete[key.on_delete];
  if (action) {
    const does = action === 'CASCADE' ? 'delete' : 'change';
    return (
      `emptying ${key.parent} would ${does} rows of ${key.child}, which is not loaded, through its key ${key.name} ` +
      `(ON DELETE ${action}): load ${key.child} too, ${orReplica}`
    );
  }
  const checked = key.on_delete === 'r' ? 'ON DELETE RESTRICT' : 'NOT DEFERRABLE';
  return (
    `${key.child}, which is not loaded, references ${key.parent} through ${key.name}, checked at once (${checked}), ` +
    `so the rows of ${key.parent} cannot be replaced: load ${key.child} too, make the key DEFERRABLE, ${orReplica}`
  );
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
 * that names the cycle and what would let the load through; any other broken key in the server's
 * words (values blanked); any other failure as it is.
 */
export function keyOrderError(subject: string, error: unknown, cycles: KeyCycle[]): unknown {
  const { code, constraint } = (error ?? {}) as { code?: string; constraint?: string };
  if (code !== '23503') return error;
  const cycle = cycles.find((c) => constraint !== undefined && c.keys.includes(constraint));
  if (!cycle) return statementError(subject, error);
  return new DatabaseError(
    `${subject}: the foreign keys ${cycle.keys.join(', ')} make a cycle between ${cycle.tables.join(', ')} ` +
      'and are NOT DEFERRABLE, so no order of the tables satisfies them while their checks stay on: make them ' +
      `DEFERRABLE (masque defers them to its commit), ${orReplica}`,
  );
}
