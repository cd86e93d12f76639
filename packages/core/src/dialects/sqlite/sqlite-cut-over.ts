import type { TableInfo } from '../schema.ts';
import { DatabaseError, MasqueError } from '../../errors.ts';
import { errorMessage, openDatabase } from './sqlite-driver.ts';
import { checkForeignKeys } from './sqlite-foreign-keys.ts';
import { quoteIdentifier } from './sqlite-sql.ts';
import { forgetProgressSql, stagingPathOf, stagingSchema } from './sqlite-staging.ts';
import { rebuildSearchIndexes } from './sqlite-search-indexes.ts';
import { dropTriggers, recreateTriggers } from './sqlite-triggers.ts';

/**
 * The one transaction that switches every table to the staged rows: the staging file attached,
 * drop the tables' triggers (none may fire on the moved rows), DELETE every table, INSERT …
 * SELECT the columns each table was staged with, recreate the triggers, check the foreign keys,
 * forget the progress, COMMIT. Counters need no help: a rowid alias continues after the
 * largest id, and AUTOINCREMENT's sqlite_sequence is raised by the inserts themselves.
 * `staged` maps a table's name to its staged columns; a table missing from it ends up empty.
 */
export function cutOverSqlite(
  target: string,
  tables: TableInfo[],
  staged: Map<string, string[]>,
  signal?: AbortSignal,
): void {
  const db = openDatabase(target, { readonly: false });
  let step = 'the new rows';
  try {
    // A silent no-op inside a transaction, so it comes first.
    db.exec('PRAGMA foreign_keys = OFF');
    db.prepare(`ATTACH DATABASE ? AS ${stagingSchema}`).run(stagingPathOf(target));
    db.exec('BEGIN IMMEDIATE');
    const triggers = dropTriggers(db, tables);
    for (const table of tables) db.exec(`DELETE FROM main.${quoteIdentifier(table.table)}`);
    for (const table of tables) {
      const columns = staged.get(table.name);
      if (!columns) continue;
      const list = columns.map(quoteIdentifier).join(', ');
      const name = quoteIdentifier(table.table);
      step = `the new rows of table "${table.table}"`;
      db.exec(`INSERT INTO main.${name} (${list}) SELECT ${list} FROM ${stagingSchema}.${name}`);
    }
    step = 'the new rows';
    recreateTriggers(db, triggers, target);
    rebuildSearchIndexes(db, tables);
    checkForeignKeys(db, tables);
    db.exec(forgetProgressSql);
    signal?.throwIfAborted();
    db.exec('COMMIT');
  } catch (error) {
    if (error instanceof MasqueError || signal?.aborted) throw error;
    const message = `cannot switch ${target} to ${step}, nothing was changed: ${errorMessage(error)}`;
    throw new DatabaseError(message, { cause: error });
  } finally {
    // Closing with the transaction open rolls it back.
    db.close();
  }
}
