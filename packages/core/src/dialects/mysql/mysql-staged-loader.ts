import { DatabaseError } from '../../errors.ts';
import type { Batch, LoadOptions, LoadStamp, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { stampOf, tablesToKeep } from '../staging.ts';
import { endSession, statementError, type MysqlSession } from './mysql-connection.ts';
import { checkForeignKeys, prepareLoadSession, writeRows, type LoadSettings, type MysqlLoadMethod } from './mysql-replace.ts';
import { createShadow, dropStaging, forgetProgress, forgetTable, readProgress, recordDone, resetStaging, shadowName } from './mysql-shadow.ts';
import { quoteId } from './mysql-sql.ts';

/**
 * Phase 1 loads each table into its shadow `_masque_new_<table>`, one transaction per table that
 * also records it in `_masque_progress`, so a run killed at any moment leaves only finished
 * tables behind (a shadow created but not filled has no progress row and is dropped or refilled).
 * Phase 2, `commit()`, is one InnoDB transaction: DELETE every table, INSERT … SELECT from the
 * shadows, empty the progress table, check the foreign keys, COMMIT; then drop the shadows.
 * Consistent reads of the target see the old rows until that commit and are never blocked by it.
 */
export class MysqlStagedLoader implements Loader {
  /** Columns of every table with a filled shadow: written by this run or reused. */
  private readonly shadows = new Map<string, string[]>();
  private open = true;

  private constructor(
    private readonly session: MysqlSession,
    private readonly tables: TableInfo[],
    private readonly settings: LoadSettings,
    private readonly stamp: LoadStamp,
    readonly reused: ReadonlyMap<string, number>,
  ) {}

  /** Starts the load on `session`, which the loader owns from now on. */
  static async begin(session: MysqlSession, tables: TableInfo[], method: MysqlLoadMethod, options: LoadOptions): Promise<MysqlStagedLoader> {
    try {
      const settings = await prepareLoadSession(session, method);
      const staged = await readProgress(session);
      const keep = tablesToKeep(options, staged, tables.map((t) => t.name));
      await resetStaging(session, tables.filter((t) => keep.has(t.name)));
      const kept = staged.filter((s) => keep.has(s.table));
      const loader = new MysqlStagedLoader(session, tables, settings, stampOf(options), new Map(kept.map((s) => [s.table, s.rows])));
      for (const s of kept) loader.shadows.set(s.table, s.columns);
      return loader;
    } catch (err) {
      await session.destroy();
      throw statementError('cannot begin the load', err);
    }
  }

  async write({ table, columns }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    if (!this.open) throw new DatabaseError(`loading table ${quoteId(table.table)}: the load is already finished`);
    if (!this.tables.some((t) => t.table === table.table)) {
      throw new DatabaseError(`loading table ${quoteId(table.table)}: the load was not opened for this table`);
    }
    // DDL commits on its own in MariaDB: the table stops counting as done, its shadow is made
    // anew, then filled and recorded in one transaction.
    this.shadows.delete(table.name);
    const shadow = await forgetTable(this.session, table.name)
      .then(() => createShadow(this.session, table))
      .catch((err: unknown) => {
        throw statementError(`creating the shadow of table ${quoteId(table.table)}`, err);
      });
    await this.session.exec('START TRANSACTION');
    try {
      const rows = await writeRows(this.session, this.settings, table, columns, batches, shadow);
      await recordDone(this.session, { table: table.name, rows, ...this.stamp, columns });
      await this.session.exec('COMMIT');
      this.shadows.set(table.name, columns);
      return rows;
    } catch (err) {
      await this.session.exec('ROLLBACK').catch(() => {});
      // Into an empty table with UNIQUE_CHECKS off, MariaDB bulk-loads and builds the indexes at
      // the end, where a duplicate key shows up only as error 1180 (ER_ERROR_DURING_COMMIT).
      if ((err as { errno?: number }).errno === 1180 || /\bER_ERROR_DURING_COMMIT\b/.test((err as Error).message)) {
        throw new DatabaseError(`loading table ${quoteId(table.table)}: a primary or unique key is duplicated (found when committing the bulk load)`);
      }
      throw err;
    }
  }

  async commit(signal?: AbortSignal): Promise<void> {
    if (!this.open) throw new DatabaseError('commit: the load is already finished');
    // Aborted mid-statement: closing the socket fails the statement; the server rolls back.
    const onAbort = (): void => void this.session.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      await this.session.exec('START TRANSACTION');
      for (const table of this.tables) await this.session.exec(`DELETE FROM ${quoteId(table.table)}`);
      for (const table of this.tables) {
        const columns = this.shadows.get(table.name);
        if (!columns) continue;
        signal?.throwIfAborted();
        const list = columns.map(quoteId).join(', ');
        await this.session.exec(`INSERT INTO ${quoteId(table.table)} (${list}) SELECT ${list} FROM ${quoteId(shadowName(table))}`);
      }
      await forgetProgress(this.session);
      await checkForeignKeys(this.session, this.tables);
      signal?.throwIfAborted();
      await this.session.exec('COMMIT');
    } catch (err) {
      await this.rollback();
      throw signal?.aborted ? err : statementError('cut-over', err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    this.open = false;
    // After the commit: DDL cannot join the transaction. A crash here leaves shadows without
    // progress rows, which the next run drops.
    await dropStaging(this.session).catch(() => {});
    await this.session.end();
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await endSession(this.session, 'ROLLBACK');
  }
}
