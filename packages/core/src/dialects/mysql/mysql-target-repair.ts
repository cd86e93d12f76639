/**
 * What a swap (mysql-swap.ts) leaves to be finished once its RENAME has committed, and what every
 * load does first in case a run died before finishing it: the tables renamed away dropped, the
 * foreign keys of the tables renamed in added, the triggers recreated. The keys and triggers are
 * recorded (`_masque_foreign_keys`, `_masque_triggers`) and committed before the RENAME, so that
 * whatever the moment of a kill, the records name everything still missing.
 */
import { createHash } from 'node:crypto';
import { statementError } from '../driver-error.ts';
import { stagingNames } from '../staging.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { quoteIdentifier, startingWith } from './mysql-sql.ts';
import type { DefinitionClause } from './mysql-table-definition.ts';
import { restoreRecordedTriggers } from './mysql-triggers.ts';

/** A loaded table's old rows, renamed away by the swap: `_masque_old_<table>`. */
const oldPrefix = `${stagingNames.prefix}old_`;
/** The progress table, renamed in the swap: once it exists, the run has nothing left to resume. */
export const swappedProgress = `${stagingNames.prefix}swapped`;
/** An empty copy of a table that a swap tries adding its foreign keys to, before it swaps. */
export const keyProbe = `${stagingNames.prefix}key_probe`;
/** The record of the foreign keys a swap takes away with the old tables. */
export const foreignKeyRecord = `${stagingNames.prefix}foreign_keys`;
const keyRecord = quoteIdentifier(foreignKeyRecord);

/** `_masque_old_<table>`; hashed when longer than the 64 characters a table name may have. */
export function oldName(table: string): string {
  const name = oldPrefix + table;
  return name.length <= 64 ? name : oldPrefix + createHash('sha256').update(table).digest('hex').slice(0, 40);
}

/** A foreign key of a loaded table, as the table's definition states it. */
export interface RecordedKey extends DefinitionClause {
  table: string;
}

/** Records `keys` in `_masque_foreign_keys`, committed. */
export async function recordForeignKeys(session: MysqlSession, keys: RecordedKey[]): Promise<void> {
  if (keys.length === 0) return;
  await session.exec(
    `CREATE TABLE IF NOT EXISTS ${keyRecord} (constraint_name VARCHAR(64) NOT NULL PRIMARY KEY,
       table_name VARCHAR(64) NOT NULL, clause LONGTEXT NOT NULL, recorded_at DATETIME(6) NOT NULL)
     ENGINE = InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  );
  await session.exec('START TRANSACTION');
  for (const key of keys) {
    await session.exec(`REPLACE INTO ${keyRecord} VALUES (?, ?, ?, NOW(6))`, {
      params: [key.name, key.table, key.clause],
    });
  }
  await session.exec('COMMIT');
}

/**
 * Finishes a swap, or what a killed run left of one, then recreates what any load recorded:
 * waits for the statements a dead run may still have running, drops the tables a swap renamed
 * away (their names, triggers and keys go with them, so they can be made again on the new
 * tables), adds the recorded foreign keys that are missing, recreates the recorded triggers that
 * are missing, and drops the records. Runs on a connection of its own (it changes the session's
 * modes). Throws, naming the key or trigger, when one cannot be made: the records stay.
 */
export async function repairTarget(session: MysqlSession): Promise<void> {
  await waitForDeadStatements(session);
  // The old tables are referenced by nothing but each other: the swap is refused when a table
  // not loaded has a key into a loaded one. Without the checks, they drop in any order.
  await session.exec('SET SESSION FOREIGN_KEY_CHECKS = 0');
  const old = await session.rows(
    `SELECT TABLE_NAME FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = DATABASE() AND (TABLE_NAME LIKE ${startingWith(oldPrefix)} OR TABLE_NAME IN (?, ?))`,
    [swappedProgress, keyProbe],
  );
  if (old.length > 0) {
    const names = old.map(([name]) => quoteIdentifier(String(name))).join(', ');
    await session.exec(`DROP TABLE IF EXISTS ${names}`).catch((err: unknown) => {
      throw statementError('dropping the tables the swap replaced', err);
    });
  }
  await restoreRecordedForeignKeys(session);
  await restoreRecordedTriggers(session);
}

/**
 * Adds every recorded foreign key its table lacks, all of a table's in one ALTER TABLE, with the
 * checks off (the swap checked them on the shadows; InnoDB then adds them without reading a row),
 * then drops the record. A key of a table that no longer exists went with its table.
 */
async function restoreRecordedForeignKeys(session: MysqlSession): Promise<void> {
  const [[exists] = []] = await session.rows(
    'SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?',
    [foreignKeyRecord],
  );
  if (Number(exists) === 0) return;
  const recorded = await session.rows(`SELECT table_name, constraint_name, clause FROM ${keyRecord} ORDER BY 1, 2`);
  const present = new Set(
    (
      await session.rows(
        `SELECT TABLE_NAME, CONSTRAINT_NAME FROM information_schema.REFERENTIAL_CONSTRAINTS
         WHERE CONSTRAINT_SCHEMA = DATABASE()`,
      )
    ).map(([table, name]) => `${String(table)}\0${String(name)}`),
  );
  const tables = new Set(
    (await session.rows('SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()')).map(
      ([name]) => String(name),
    ),
  );
  const missing = new Map<string, string[]>();
  for (const [table, name, clause] of recorded) {
    if (present.has(`${String(table)}\0${String(name)}`) || !tables.has(String(table))) continue;
    (missing.get(String(table)) ?? missing.set(String(table), []).get(String(table))!).push(String(clause));
  }
  await session.exec('SET SESSION FOREIGN_KEY_CHECKS = 0');
  for (const [table, clauses] of missing) {
    const adds = clauses.map((clause) => `ADD ${clause}`).join(', ');
    await session.exec(`ALTER TABLE ${quoteIdentifier(table)} ${adds}`).catch((err: unknown) => {
      throw statementError(`adding the foreign keys of table ${quoteIdentifier(table)} again`, err);
    });
  }
  await session.exec(`DROP TABLE IF EXISTS ${keyRecord}`);
}

/**
 * Waits until no other connection of this user and database runs one of the statements a load
 * makes its changes to the schema with: a run that died with one sent may see it run after its
 * end (the server reads what was sent, or finishes what it began). Repairing around it could
 * lose a trigger or a key once its record is gone. Bounded by lock_wait_timeout: a statement
 * waiting longer for its locks has failed by then. (A statement still waiting for a lock when
 * its client dies is dropped by MariaDB: only one already running goes on.)
 */
async function waitForDeadStatements(session: MysqlSession): Promise<void> {
  const [[timeout] = []] = await session.rows('SELECT @@lock_wait_timeout');
  const deadline = Date.now() + (Number(timeout) + 1) * 1000;
  for (;;) {
    const [[running] = []] = await session.rows(
      `SELECT COUNT(*) FROM information_schema.PROCESSLIST
       WHERE DB = DATABASE() AND ID <> CONNECTION_ID()
         AND (INFO LIKE 'DROP TRIGGER%' OR INFO LIKE 'CREATE DEFINER%TRIGGER%' OR INFO LIKE 'RENAME TABLE%'
              OR INFO LIKE 'ALTER TABLE%ADD CONSTRAINT%' OR INFO LIKE 'DROP TABLE%')`,
    );
    if (Number(running) === 0 || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
