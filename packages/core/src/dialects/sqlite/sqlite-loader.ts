import type { Loader } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { DatabaseError, MasqueError } from '../../errors.ts';
import { errorMessage, openDatabase } from './sqlite-driver.ts';
import { checkForeignKeys } from './sqlite-foreign-keys.ts';
import { insertBatches } from './sqlite-insert.ts';
import { quoteIdentifier } from './sqlite-sql.ts';
import { removeStaging } from './sqlite-staging.ts';
import { rebuildSearchIndexes } from './sqlite-search-indexes.ts';
import { dropTriggers, recreateTriggers, type TriggerDefinition } from './sqlite-triggers.ts';

/**
 * The direct load (`--direct`): one connection, foreign-key enforcement off (so tables load in
 * any order, cycles included), one `BEGIN IMMEDIATE` transaction that drops the tables' triggers
 * (so that none fires on the rows deleted or copied), empties `tables`, takes every row, puts the
 * triggers back, and is checked and committed at the end. Until then readers see the old rows.
 * Faster than a staged load, but a killed run leaves nothing to resume.
 */
export function beginSqliteLoad(path: string, tables: TableInfo[]): Loader {
  // What a dead staged run left cannot be resumed by a direct load.
  removeStaging(path);
  const db = openDatabase(path, { readonly: false });
  let triggers: TriggerDefinition[];
  try {
    // This pragma is a silent no-op inside a transaction, so it must come first.
    db.exec('PRAGMA foreign_keys = OFF');
    db.exec('BEGIN IMMEDIATE');
    triggers = dropTriggers(db, tables);
    for (const table of tables) db.exec(`DELETE FROM ${quoteIdentifier(table.table)}`);
  } catch (error) {
    // Closing with the transaction open rolls it back.
    db.close();
    throw new DatabaseError(`cannot start the load into ${path}: ${errorMessage(error)}`, { cause: error });
  }

  const finish = (statement: 'COMMIT' | 'ROLLBACK'): void => {
    try {
      if (db.open && db.inTransaction) db.exec(statement);
    } finally {
      if (db.open) db.close();
    }
  };

  return {
    reused: new Map(),
    write: (request, batches) => insertBatches(db, request, batches),
    async commit(signal) {
      if (!db.open) throw new DatabaseError('the load is already finished');
      try {
        signal?.throwIfAborted();
        checkForeignKeys(db, tables);
        recreateTriggers(db, triggers, path);
        rebuildSearchIndexes(db, tables);
      } catch (error) {
        finish('ROLLBACK');
        if (error instanceof MasqueError || signal?.aborted) throw error;
        throw new DatabaseError(`cannot check foreign keys after the load: ${errorMessage(error)}`, { cause: error });
      }
      try {
        // Counters need no help: a rowid alias continues after the largest id, and
        // AUTOINCREMENT's sqlite_sequence was raised by the inserts themselves.
        finish('COMMIT');
      } catch (error) {
        // finish() closed the connection, which rolls back a commit that did not happen.
        throw new DatabaseError(`cannot commit the load into ${path}: ${errorMessage(error)}`, { cause: error });
      }
    },
    async rollback() {
      finish('ROLLBACK');
    },
  };
}
