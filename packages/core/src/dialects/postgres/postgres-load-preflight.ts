/**
 * What a load into PostgreSQL may do, found before anything is written or staged: whether it may
 * SET session_replication_role (foreign-key triggers off: tables move in any order), whether it
 * may switch off the target's triggers and refresh its materialized views, and, without replica
 * role, whether keys from tables not loaded let it empty the loaded ones. A role that cannot stops
 * here, with the privilege, the tables and the keys named, rather than halfway through.
 */
import { DatabaseError } from '../../errors.ts';
import type { TableInfo } from '../schema.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { type KeyCycle, checkKeyOrder } from './postgres-key-order.ts';
import { dependentMaterializedViews, type MaterializedView } from './postgres-materialized-views.ts';
import { firingModes, firingTriggers, type TargetTrigger } from './postgres-triggers.ts';

export interface LoadPreflight {
  /** The load's transaction can run with session_replication_role = replica. */
  replica: boolean;
  /** Without replica: the cycles of not-deferrable keys among the tables, to name when one fails. */
  cycles: KeyCycle[];
}

/** Throws a DatabaseError naming every privilege missing for a load of `tables` (partitions included). */
export async function preflightLoad(db: PgQueryable, tables: TableInfo[]): Promise<LoadPreflight> {
  const replica = await replicaAllowed(db);
  const problems: string[] = [];
  const triggers = (await firingTriggers(db, tables, firingModes(replica))).filter((t) => !t.owned);
  if (triggers.length) problems.push(triggersProblem(triggers, replica));
  const views = (await dependentMaterializedViews(db, tables)).filter((v) => !v.owned);
  if (views.length) problems.push(viewsProblem(views));
  const keys = replica ? { problems: [], cycles: [] } : await checkKeyOrder(db, tables);
  problems.push(...keys.problems);
  if (problems.length) throw new DatabaseError(problems.join('; '));
  return { replica, cycles: keys.cycles };
}

/**
 * Tried, in a transaction rolled back at once: superuser, PostgreSQL 15's `GRANT SET ON PARAMETER`,
 * or whatever else allows it. A session already in replica role (a role's default) counts too.
 */
async function replicaAllowed(db: PgQueryable): Promise<boolean> {
  await db.query('BEGIN');
  const allowed = await db.query('SET LOCAL session_replication_role = replica').then(
    () => true,
    () => false,
  );
  await db.query('ROLLBACK');
  if (allowed) return true;
  const { rows } = await db.query<{ replica: boolean }>(
    "SELECT current_setting('session_replication_role') = 'replica' AS replica",
  );
  return rows[0]!.replica;
}

function triggersProblem(triggers: TargetTrigger[], replica: boolean): string {
  const byTable = new Map<string, string[]>();
  for (const t of triggers) (byTable.get(t.table) ?? byTable.set(t.table, []).get(t.table)!).push(t.name);
  const list = [...byTable].map(([table, names]) => `${table} (${names.join(', ')})`).join(', ');
  // Replica role silences only the triggers enabled the ordinary way.
  const orReplica =
    !replica && triggers.every((t) => t.mode === 'O')
      ? ' or be allowed to SET session_replication_role (superuser, or GRANT SET ON PARAMETER ' +
        'session_replication_role on PostgreSQL 15+)'
      : '';
  const when = replica ? ' even with session_replication_role = replica (ENABLE ALWAYS or REPLICA)' : '';
  return (
    `the target's triggers on ${list} would fire during the load${when}: masque must own these tables ` +
    `(to ALTER TABLE … DISABLE TRIGGER inside the load)${orReplica}`
  );
}

function viewsProblem(views: MaterializedView[]): string {
  return (
    `the target's materialized views ${views.map((v) => v.name).join(', ')} read loaded tables and are ` +
    'refreshed inside the load: masque must own them (REFRESH MATERIALIZED VIEW needs ownership)'
  );
}
