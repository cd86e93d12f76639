import type { LoadOptions, Loader } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { DatabaseError, MasqueError } from '../../errors.ts';
import { stampOf, tablesToKeep } from '../staging.ts';
import { errorMessage, openDatabase, quoteIdentifier, type SqliteDatabase } from './sqlite-driver.ts';
import { checkForeignKeys } from './sqlite-foreign-keys.ts';
import { insertBatches } from './sqlite-insert.ts';
import { forgetProgressSql, openStaging, readStaging, recordDone, removeStaging, stagingPathOf } from './sqlite-staging.ts';

/**
 * Phase 1 loads each table into the staging file `<target>.masque-new`, one transaction per
 * table that also records it as done. Phase 2, `commit()`, is one transaction on the target with
 * the staging file attached: DELETE every table, INSERT … SELECT from the staged ones, check the
 * foreign keys, COMMIT; then the staging file is deleted. Readers see the old rows until then
 * (in WAL mode they are never blocked; in rollback-journal mode only while the commit writes).
 * Not a rename of the new file over the target: see docs/atomic-refresh.md for why.
 */
export function beginSqliteStagedLoad(target: string, tables: TableInfo[], options: LoadOptions): Loader {
  const staged = readStaging(target);
  const keep = tablesToKeep(options, staged, tables.map((t) => t.name));
  const kept = staged.filter((s) => keep.has(s.table));
  const ddl = tableDefinitions(target, tables);
  let db: SqliteDatabase | undefined = openStaging(target, [...keep]);
  const stamp = stampOf(options);
  const shadows = new Map(kept.map((s) => [s.table, s.columns]));

  const staging = (): SqliteDatabase => {
    if (!db?.open) throw new DatabaseError('the load is already finished');
    return db;
  };
  const closeStaging = (): void => {
    if (db?.open) db.close();
    db = undefined;
  };

  return {
    reused: new Map(kept.map((s) => [s.table, s.rows])),
    async write(request, batches) {
      const file = staging();
      const { table, columns } = request;
      // The table's earlier rows, if any, stay staged until these replace them at COMMIT.
      file.exec('BEGIN IMMEDIATE');
      try {
        file.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(table.table)}`);
        file.exec(ddl.get(table.table) ?? fail(`no definition of table "${table.name}" in the target`));
        const rows = await insertBatches(file, request, batches);
        recordDone(file, { table: table.name, rows, ...stamp, columns });
        file.exec('COMMIT');
        shadows.set(table.name, columns);
        return rows;
      } catch (error) {
        if (file.inTransaction) file.exec('ROLLBACK');
        throw error;
      }
    },
    async commit(signal) {
      staging();
      closeStaging();
      cutOver(target, tables, shadows, signal);
      removeStaging(target);
    },
    async rollback() {
      closeStaging();
    },
  };
}

function fail(message: string): never {
  throw new DatabaseError(message);
}

/** The target's CREATE TABLE statement of each table, by bare name. */
function tableDefinitions(target: string, tables: TableInfo[]): Map<string, string> {
  const db = openDatabase(target, { readonly: true });
  try {
    const rows = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'table'`).all() as { name: string; sql: string }[];
    const wanted = new Set(tables.map((t) => t.table));
    return new Map(rows.filter((r) => wanted.has(r.name)).map((r) => [r.name, r.sql]));
  } finally {
    db.close();
  }
}

/** The one transaction that switches every table to the staged rows. */
function cutOver(target: string, tables: TableInfo[], shadows: Map<string, string[]>, signal?: AbortSignal): void {
  const db = openDatabase(target, { readonly: false });
  let step = 'the new rows';
  try {
    // A silent no-op inside a transaction, so it comes first.
    db.exec('PRAGMA foreign_keys = OFF');
    db.prepare('ATTACH DATABASE ? AS masque_new').run(stagingPathOf(target));
    db.exec('BEGIN IMMEDIATE');
    for (const table of tables) db.exec(`DELETE FROM main.${quoteIdentifier(table.table)}`);
    for (const table of tables) {
      const columns = shadows.get(table.name);
      if (!columns) continue;
      const list = columns.map(quoteIdentifier).join(', ');
      step = `the new rows of table "${table.table}"`;
      db.exec(`INSERT INTO main.${quoteIdentifier(table.table)} (${list}) SELECT ${list} FROM masque_new.${quoteIdentifier(table.table)}`);
    }
    step = 'the new rows';
    checkForeignKeys(db, tables);
    db.exec(forgetProgressSql);
    signal?.throwIfAborted();
    db.exec('COMMIT');
  } catch (error) {
    if (error instanceof MasqueError || signal?.aborted) throw error;
    throw new DatabaseError(`cannot switch ${target} to ${step}, nothing was changed: ${errorMessage(error)}`, { cause: error });
  } finally {
    // Closing with the transaction open rolls it back.
    db.close();
  }
}
