import type { LoadOptions, Loader } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { DatabaseError } from '../../errors.ts';
import { stampOf, tablesToKeep } from '../staging.ts';
import { cutOverSqlite } from './sqlite-cut-over.ts';
import type { SqliteDatabase } from './sqlite-driver.ts';
import { insertBatches } from './sqlite-insert.ts';
import {
  createStagedTable,
  openStaging,
  readStaging,
  recordDone,
  removeStaging,
  tableDefinitions,
} from './sqlite-staging.ts';

/**
 * Phase 1 loads each table into the staging file `<target>.masque-new`, one transaction per
 * table that also records it as done. Phase 2, `commit()`, is the cut-over: one transaction on
 * the target with the staging file attached (sqlite-cut-over.ts); then the staging file is
 * deleted. Readers see the old rows until then (in WAL mode they are never blocked; in
 * rollback-journal mode only while the commit writes).
 * Not a rename of the new file over the target: see docs/atomic-refresh.md for why.
 */
export function beginSqliteStagedLoad(target: string, tables: TableInfo[], options: LoadOptions): Loader {
  const staged = readStaging(target);
  const keep = tablesToKeep(
    options,
    staged,
    tables.map((t) => t.name),
  );
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
        createStagedTable(file, table, ddl);
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
      cutOverSqlite(target, tables, shadows, signal);
      removeStaging(target);
    },
    async rollback() {
      closeStaging();
    },
  };
}
