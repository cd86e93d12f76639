/**
 * The target's own triggers, kept silent during a load: what `pg_restore` gives, the source's rows
 * copied as they are (an `updated_at` stamp, an audit row or a denormalised copy would otherwise be
 * written by the load itself), and every trigger in place, as it was, afterwards.
 *
 * `session_replication_role = replica` silences triggers enabled the ordinary way (`O`), but needs
 * superuser or a grant, and leaves `ENABLE REPLICA` and `ENABLE ALWAYS` triggers firing. So every
 * user trigger that would fire in the load's session is switched off with `ALTER TABLE ONLY …
 * DISABLE TRIGGER` inside the load's transaction and put back to its own mode before the commit.
 * DDL is transactional in PostgreSQL: a run killed in between leaves them exactly as they were.
 * ONLY, trigger by trigger: on a partitioned table a trigger is cloned onto each partition
 * (`tgparentid`), and a clone may have been given a mode of its own; `ALTER TABLE parent` would
 * recurse (PostgreSQL 15+) and put every clone back to the parent's mode. The ALTER takes a SHARE
 * ROW EXCLUSIVE lock on the table until the commit: readers go on, writers of that table wait.
 */
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { quoteIdentifier, quoteTable } from './postgres-sql.ts';

/** How a trigger is enabled (`pg_trigger.tgenabled`): origin/local sessions, replica sessions, always. */
export type TriggerMode = 'O' | 'R' | 'A';

export interface TargetTrigger {
  /** The table (or partition) holding it, quoted. */
  relation: string;
  /** `schema.table`, for messages. */
  table: string;
  name: string;
  mode: TriggerMode;
  /** The session may ALTER its table: owns it (a member of its owner role), or is superuser. */
  owned: boolean;
}

/** The modes that fire in a session with this `session_replication_role` (`local` acts as `origin`). */
export function firingModes(replica: boolean): TriggerMode[] {
  return replica ? ['R', 'A'] : ['O', 'A'];
}

const triggersSql = `
  SELECT format('%I.%I', n.nspname, c.relname) AS relation, n.nspname || '.' || c.relname AS table,
         t.tgname AS name, t.tgenabled::text AS mode, pg_has_role(c.relowner, 'USAGE') AS owned
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE t.tgrelid = ANY($1::regclass[]) AND NOT t.tgisinternal AND t.tgenabled::text = ANY($2::text[])
  ORDER BY 2, 3`;

/**
 * The user triggers (not the internal ones of foreign keys) of `tables` — partitions included when
 * given — that fire in a session with `modes`, whatever their event: INSERT, DELETE (the cut-over
 * empties the tables with DELETE), UPDATE, TRUNCATE; row or statement level.
 */
export async function firingTriggers(
  db: PgQueryable,
  tables: TableInfo[],
  modes: TriggerMode[],
): Promise<TargetTrigger[]> {
  const { rows } = await db.query<TargetTrigger>(triggersSql, [tables.map(quoteTable), modes]);
  return rows;
}

/** Switches each trigger off, on its own table only; in the load's transaction, before its DELETEs. */
export async function disableTriggers(db: PgQueryable, triggers: TargetTrigger[]): Promise<void> {
  for (const trigger of triggers) await alterTrigger(db, trigger, 'DISABLE TRIGGER', 'switching off');
}

/** Puts each trigger back to the mode it had; in the load's transaction, before its COMMIT. */
export async function restoreTriggers(db: PgQueryable, triggers: TargetTrigger[]): Promise<void> {
  const enable: Record<TriggerMode, string> = {
    O: 'ENABLE TRIGGER',
    R: 'ENABLE REPLICA TRIGGER',
    A: 'ENABLE ALWAYS TRIGGER',
  };
  for (const trigger of triggers) await alterTrigger(db, trigger, enable[trigger.mode], 'putting back');
}

async function alterTrigger(db: PgQueryable, trigger: TargetTrigger, action: string, doing: string): Promise<void> {
  await db
    .query(`ALTER TABLE ONLY ${trigger.relation} ${action} ${quoteIdentifier(trigger.name)}`)
    .catch((error: unknown) => {
      throw statementError(`${doing} the trigger ${trigger.name} of ${trigger.table}`, error);
    });
}
