import type { TableInfo } from '../schema.ts';
import { DatabaseError } from '../../errors.ts';
import { errorMessage, type SqliteDatabase } from './sqlite-driver.ts';
import { quoteIdentifier } from './sqlite-sql.ts';

/** A trigger of a loaded table, as `sqlite_schema` holds it. */
export interface TriggerDefinition {
  name: string;
  /** The table it is on, spelled as its CREATE TRIGGER wrote it (SQLite matches it without case). */
  table: string;
  sql: string;
}

/**
 * The triggers on `tables`, in their `sqlite_schema` order. `tbl_name` keeps the spelling of the
 * trigger's `ON` clause, so it is matched without (ASCII) case, as SQLite matches names. A view's
 * INSTEAD OF triggers are on the view, never on a loaded table, so they are not among them.
 */
const triggersSql = `SELECT name, tbl_name AS "table", sql FROM main.sqlite_schema
  WHERE type = 'trigger' AND tbl_name COLLATE NOCASE IN (SELECT value FROM json_each(?))
  ORDER BY rowid`;

/**
 * Drops every trigger on `tables`, inside the load's open transaction, so that none fires while
 * the load deletes and inserts rows: an `AFTER INSERT` copy into another table, a stamp that
 * overwrites the copied time, an audit row per loaded row, a `DELETE` trigger. SQLite has no
 * switch for triggers (only the C API's SQLITE_DBCONFIG_ENABLE_TRIGGER, which the driver does
 * not expose), but its DDL is transactional: `recreateTriggers` puts them back before COMMIT, and
 * a failure, a rollback or a kill (the journal) brings them back as they were.
 * A trigger writes only on its own table's writes, so the triggers of the loaded tables are all
 * that could fire, whatever table their body writes.
 */
export function dropTriggers(db: SqliteDatabase, tables: TableInfo[]): TriggerDefinition[] {
  const names = JSON.stringify(tables.map((t) => t.table));
  const triggers = db.prepare(triggersSql).all(names) as TriggerDefinition[];
  for (const trigger of triggers) db.exec(`DROP TRIGGER main.${quoteIdentifier(trigger.name)}`);
  return triggers;
}

/**
 * SQLite stores a trigger's SQL as `CREATE TRIGGER ` followed by the statement's text from the
 * trigger's bare name on: the `main.` put before the name here is not stored, so the text comes
 * back byte for byte, and it makes the ON table be found in the target even when the staging file,
 * attached with tables of the same names, is searched too.
 */
const createInMain = (sql: string): string => sql.replace(/^CREATE TRIGGER /, 'CREATE TRIGGER main.');

/**
 * Recreates the dropped triggers with their exact SQL, in their old order, in the same open
 * transaction. They come back as the last rows of `sqlite_schema` (SQLite gives a new row the
 * largest rowid plus one), so `.schema` prints the same statements, and in the same order unless
 * something was created after them.
 */
export function recreateTriggers(db: SqliteDatabase, triggers: TriggerDefinition[], path: string): void {
  for (const trigger of triggers) {
    try {
      db.exec(createInMain(trigger.sql));
    } catch (error) {
      const message = `cannot recreate trigger "${trigger.name}" on table "${trigger.table}" in ${path}`;
      throw new DatabaseError(`${message}, nothing was changed: ${errorMessage(error)}`, { cause: error });
    }
  }
}
