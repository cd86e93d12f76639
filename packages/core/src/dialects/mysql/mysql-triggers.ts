/**
 * The target's triggers during a load. MariaDB and MySQL have no session switch for triggers (a
 * LOAD DATA or INSERT … SELECT fires them, a DELETE fires the DELETE ones), and their DDL commits,
 * so a trigger cannot be dropped inside the load's transaction and come back with its rollback.
 * masque records each trigger of the loaded tables in `_masque_triggers` (committed), drops them
 * just before the transaction that writes those tables, and recreates them as soon as it ends,
 * committed or not; then the record goes. A run killed in between leaves the record, and the next
 * run recreates what it names before it touches anything else (`restoreRecordedTriggers`).
 */
import { DatabaseError } from '../../errors.ts';
import type { TableInfo } from '../schema.ts';
import { statementError } from '../driver-error.ts';
import { stagingNames } from '../staging.ts';
import type { MysqlSession } from './mysql-driver.ts';
import type { MysqlForeignKey } from './mysql-foreign-keys.ts';
import { quoteIdentifier } from './mysql-sql.ts';

/** The record of dropped triggers. Not a shadow nor the progress table: dropping staging keeps it. */
export const triggerRecord = `${stagingNames.prefix}triggers`;
const record = quoteIdentifier(triggerRecord);

/** One trigger, as `SHOW CREATE TRIGGER` and `information_schema.TRIGGERS` tell it. */
export interface MysqlTrigger {
  name: string;
  table: string;
  timing: string;
  event: string;
  /** Its place among the triggers of the same table, timing and event (1 fires first). */
  order: number;
  /** `user@host`, as CURRENT_USER() spells it. */
  definer: string;
  sqlMode: string;
  characterSetClient: string;
  collationConnection: string;
  /** `CREATE DEFINER=… TRIGGER …`, without FOLLOWS or PRECEDES: the order is kept by creation order. */
  statement: string;
}

const columns = [
  'trigger_name',
  'table_name',
  'action_timing',
  'event',
  'action_order',
  'definer',
  'sql_mode',
  'character_set_client',
  'collation_connection',
  'statement',
] as const;

/** Every trigger on one of `tables` (all the database's when missing), first-firing first per table and event. */
export async function readTriggers(session: MysqlSession, tables?: TableInfo[]): Promise<MysqlTrigger[]> {
  const rows = await session.rows(
    `SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER, DEFINER,
            SQL_MODE, CHARACTER_SET_CLIENT, COLLATION_CONNECTION
     FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()
     ORDER BY EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_ORDER`,
  );
  const loaded = tables && new Set(tables.map((t) => t.table));
  const triggers: MysqlTrigger[] = [];
  for (const [name, table, timing, event, order, definer, sqlMode, client, collation] of rows) {
    if (loaded && !loaded.has(String(table))) continue;
    // The full statement, DEFINER included; information_schema holds only the body.
    const [shown] = await session.rows(`SHOW CREATE TRIGGER ${quoteIdentifier(String(name))}`);
    triggers.push(triggerOf([name, table, timing, event, order, definer, sqlMode, client, collation, shown?.[2]]));
  }
  return triggers;
}

/**
 * The loaded tables that move only once the triggers are gone: those with triggers, and every
 * table joined to one of them by foreign keys, however indirectly. A statement on a table also
 * locks the metadata of the tables its keys join (MariaDB opens the children of a parent it
 * deletes from, even with FOREIGN_KEY_CHECKS off), and DROP TRIGGER waits for every such lock:
 * had the cut-over transaction written a neighbour early, the drop would wait for its commit,
 * which waits for the drop. The rest moves during the load, as without triggers.
 */
export function tablesMovedLate(loaded: TableInfo[], triggers: MysqlTrigger[], keys: MysqlForeignKey[]): Set<string> {
  const late = new Set(triggers.map((t) => t.table));
  for (let grew = late.size > 0; grew; ) {
    grew = false;
    for (const { table, referencedTable } of keys) {
      if (late.has(table) === late.has(referencedTable)) continue;
      late.add(table).add(referencedTable);
      grew = true;
    }
  }
  return new Set(loaded.map((t) => t.table).filter((name) => late.has(name)));
}

/**
 * Stops the load before anything is written when this user could not recreate every trigger as
 * it is: another definer needs SUPER (MariaDB: or SET USER; MySQL 8: SET_USER_ID or
 * SET_ANY_DEFINER), and with binary logging on and log_bin_trust_function_creators off, creating
 * any trigger needs SUPER. Dropping a trigger that cannot come back would lose it.
 */
export async function checkCanRecreate(session: MysqlSession, triggers: MysqlTrigger[]): Promise<void> {
  if (triggers.length === 0) return;
  const [[user, logBin, trusted] = []] = await session.rows(
    'SELECT CURRENT_USER(), @@log_bin, @@log_bin_trust_function_creators',
  );
  const global = new Set<string>();
  for (const [grant] of await session.rows('SHOW GRANTS')) {
    const privileges = /^GRANT (.+?) ON \*\.\* TO /i.exec(String(grant))?.[1];
    for (const privilege of privileges?.split(',') ?? []) global.add(privilege.trim().toUpperCase());
  }
  const superUser = global.has('ALL PRIVILEGES') || global.has('SUPER');
  const anyDefiner = superUser || ['SET USER', 'SET_USER_ID', 'SET_ANY_DEFINER'].some((p) => global.has(p));
  const who = String(user);
  for (const trigger of triggers) {
    const place = `trigger ${quoteIdentifier(trigger.name)} on table ${quoteIdentifier(trigger.table)}`;
    if (trigger.definer !== who && !anyDefiner) {
      throw new DatabaseError(
        `${place} has definer ${trigger.definer}: masque drops the loaded tables' triggers during the cut-over and ` +
          `recreates them, and recreating one for another definer needs the SUPER privilege (MariaDB: or SET USER; ` +
          `MySQL 8: SET_USER_ID or SET_ANY_DEFINER), which ${who} lacks; nothing was written`,
      );
    }
    if (Number(logBin) === 1 && Number(trusted) !== 1 && !superUser) {
      throw new DatabaseError(
        `${place}: masque drops the loaded tables' triggers during the cut-over and recreates them, and with ` +
          `binary logging on and log_bin_trust_function_creators off, creating a trigger needs the SUPER ` +
          `privilege, which ${who} lacks; nothing was written`,
      );
    }
  }
}

/**
 * Records `triggers` in `_masque_triggers`, committed, then drops them, last-firing first: a run
 * stopped half-way leaves the first-firing ones in place, and recreating the others in order puts
 * them after those, where they were. Whatever the moment, the record names every missing one.
 */
export async function suspendTriggers(session: MysqlSession, triggers: MysqlTrigger[]): Promise<void> {
  if (triggers.length === 0) return;
  await recordTriggers(session, triggers);
  for (const t of [...triggers].sort((a, b) => b.order - a.order)) {
    await session.exec(`DROP TRIGGER IF EXISTS ${quoteIdentifier(t.name)}`).catch((err: unknown) => {
      throw statementError(`dropping trigger ${quoteIdentifier(t.name)} on table ${quoteIdentifier(t.table)}`, err);
    });
  }
}

/**
 * Records `triggers` in `_masque_triggers`, committed, before anything makes them go: dropping
 * them (`suspendTriggers`), or renaming their table away (the swap, mysql-swap.ts), which takes
 * its triggers along.
 */
export async function recordTriggers(session: MysqlSession, triggers: MysqlTrigger[]): Promise<void> {
  if (triggers.length === 0) return;
  await session.exec(
    `CREATE TABLE IF NOT EXISTS ${record} (trigger_name VARCHAR(64) NOT NULL PRIMARY KEY,
       table_name VARCHAR(64) NOT NULL, action_timing VARCHAR(6) NOT NULL, event VARCHAR(6) NOT NULL,
       action_order INT NOT NULL, definer VARCHAR(400) NOT NULL, sql_mode TEXT NOT NULL,
       character_set_client VARCHAR(64) NOT NULL, collation_connection VARCHAR(64) NOT NULL,
       statement LONGTEXT NOT NULL, recorded_at DATETIME(6) NOT NULL)
     ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  );
  await session.exec('START TRANSACTION');
  const placeholders = columns.map(() => '?').join(', ');
  for (const t of triggers) {
    await session.exec(`REPLACE INTO ${record} (${columns.join(', ')}, recorded_at) VALUES (${placeholders}, NOW(6))`, {
      params: recordValues(t),
    });
  }
  await session.exec('COMMIT');
}

/**
 * Recreates every recorded trigger that does not exist, first-firing first, each with the
 * sql_mode and character set it was created with, then drops the record. A trigger of a table
 * that no longer exists went with its table. Runs on a connection of its own (it changes the
 * session's modes), after whatever dropped the triggers has ended: the load's transaction holds
 * the tables' metadata locks until it has committed or rolled back, so no trigger comes back
 * inside it; and after the tables a swap renamed away are gone, with the triggers they took
 * (`repairTarget`, mysql-target-repair.ts, which runs it). Throws, naming the trigger, when one
 * cannot be made: the record stays for the next run.
 */
export async function restoreRecordedTriggers(session: MysqlSession): Promise<void> {
  const [[exists] = []] = await session.rows(
    'SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [triggerRecord],
  );
  if (Number(exists) === 0) return;
  const recorded = await session.rows(
    `SELECT ${columns.join(', ')} FROM ${record} ORDER BY table_name, action_timing, event, action_order`,
  );
  const present = new Set(
    (await session.rows('SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()')).map(
      ([name]) => String(name),
    ),
  );
  const tables = new Set(
    (await session.rows('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')).map(
      ([name]) => String(name),
    ),
  );
  const missing = recorded.map(triggerOf).filter((t) => !present.has(t.name) && tables.has(t.table));
  await checkCanRecreate(session, missing);
  for (const t of missing) {
    try {
      await session.exec('SET SESSION sql_mode = ?, character_set_client = ?, collation_connection = ?', {
        params: [t.sqlMode, clientCharset(t), t.collationConnection],
      });
      await session.exec(t.statement);
    } catch (err) {
      throw statementError(`recreating trigger ${quoteIdentifier(t.name)} on table ${quoteIdentifier(t.table)}`, err);
    }
  }
  await session.exec(`DROP TABLE IF EXISTS ${record}`);
}

/** A trigger's values in the record, in the order of `columns`. */
function recordValues(t: MysqlTrigger): (string | number)[] {
  const { name, table, timing, event, order, definer, sqlMode, characterSetClient, collationConnection } = t;
  return [name, table, timing, event, order, definer, sqlMode, characterSetClient, collationConnection, t.statement];
}

/** A row of the record, in the order of `columns`. */
function triggerOf(row: readonly unknown[]): MysqlTrigger {
  const [name, table, timing, event, order, definer, sqlMode, client, collation, statement] = row;
  return {
    name: String(name),
    table: String(table),
    timing: String(timing),
    event: String(event),
    order: Number(order),
    definer: String(definer),
    sqlMode: String(sqlMode),
    characterSetClient: String(client),
    collationConnection: String(collation),
    statement: String(statement),
  };
}

/**
 * The character set the statement is sent in. The driver sends UTF-8 whatever the session says:
 * a statement all in ASCII reads the same in any of the server's character sets and is sent as
 * recorded, as is one recorded in a UTF-8 set. Any other is recreated as utf8mb4, its text
 * unchanged (the collation, which decides how its literals compare, is still the recorded one).
 */
function clientCharset(t: MysqlTrigger): string {
  const ascii = /^[\u0000-\u007f]*$/.test(t.statement);
  return ascii || /^utf8/i.test(t.characterSetClient) ? t.characterSetClient : 'utf8mb4';
}

/** Runs `use` on a connection of its own, closed afterwards. */
export async function onOwnSession<T>(
  connect: () => Promise<MysqlSession>,
  use: (session: MysqlSession) => Promise<T>,
): Promise<T> {
  const session = await connect();
  try {
    const result = await use(session);
    await session.end();
    return result;
  } catch (err) {
    await session.destroy();
    throw err;
  }
}
