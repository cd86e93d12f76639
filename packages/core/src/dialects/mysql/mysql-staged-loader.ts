import { DatabaseError } from '../../errors.ts';
import type { Batch, LoadOptions, LoadStamp, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { stampOf, tablesToKeep } from '../staging.ts';
import { endSession, statementError, type MysqlSession } from './mysql-connection.ts';
import { readForeignKeys } from './mysql-introspector.ts';
import { checkForeignKeys, prepareLoadSession, writeRows, type LoadSettings, type MysqlLoadMethod } from './mysql-replace.ts';
import { createShadow, dropStaging, forgetProgress, readProgress, recordDone, resetStaging, shadowName } from './mysql-shadow.ts';
import { quoteId } from './mysql-sql.ts';

/**
 * Phase 1 loads each table into its shadow `_masque_new_<table>`, one transaction per table that
 * also records it in `_masque_progress`, so a run killed at any moment leaves only finished
 * tables behind (a shadow created but not filled has no progress row and is dropped or refilled).
 * Phase 2 is one InnoDB transaction on a connection of its own, opened when the first table is
 * staged: DELETE every table, INSERT … SELECT each shadow as soon as it is staged (keys are
 * checked at the end, so any order works) while the next tables load; `commit()` empties the
 * progress table, checks the foreign keys (reading the shadows) and COMMITs; then the shadows
 * are dropped. Consistent reads of the target see the old rows until that commit and are never
 * blocked by it.
 * Every shadow is created up front: `CREATE TABLE … LIKE t` waits for a transaction that has
 * written `t` (measured), so no DDL may come once the cut-over transaction has begun.
 */
export class MysqlStagedLoader implements Loader {
  /** Columns of every table with a filled shadow: written by this run or reused. */
  private readonly shadows = new Map<string, string[]>();
  private open = true;
  /** The cut-over transaction's connection, once begun; the tables moved into it; the moves running. */
  private cutover?: Promise<MysqlSession>;
  private readonly moved = new Set<string>();
  private moves: Promise<void> = Promise.resolve();
  private moveFailure?: unknown;

  private constructor(
    private readonly session: MysqlSession,
    private readonly tables: TableInfo[],
    private readonly settings: LoadSettings,
    private readonly stamp: LoadStamp,
    readonly reused: ReadonlyMap<string, number>,
    private readonly connect: () => Promise<MysqlSession>,
  ) {}

  /** Starts the load on `session`, which the loader owns from now on; `connect` opens the cut-over's. */
  static async begin(
    session: MysqlSession, tables: TableInfo[], method: MysqlLoadMethod, options: LoadOptions, connect: () => Promise<MysqlSession>,
  ): Promise<MysqlStagedLoader> {
    try {
      const settings = await prepareLoadSession(session, method);
      const staged = await readProgress(session);
      const keep = tablesToKeep(options, staged, tables.map((t) => t.name));
      await resetStaging(session, tables.filter((t) => keep.has(t.name)));
      const keys = await readForeignKeys(session);
      for (const table of tables.filter((t) => !keep.has(t.name))) {
        const referenced = keys.filter((k) => k.referencedTable === table.table).map((k) => k.referencedColumns);
        await createShadow(session, table, referenced);
      }
      const kept = staged.filter((s) => keep.has(s.table));
      const loader = new MysqlStagedLoader(session, tables, settings, stampOf(options), new Map(kept.map((s) => [s.table, s.rows])), connect);
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
    if (this.moveFailure) throw this.moveFailure;
    const shadow = shadowName(table);
    await this.session.exec('START TRANSACTION');
    try {
      const rows = await writeRows(this.session, this.settings, table, columns, batches, shadow);
      await recordDone(this.session, { table: table.name, rows, ...this.stamp, columns });
      await this.session.exec('COMMIT');
      this.shadows.set(table.name, columns);
      void this.queueMoves();
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

  /** Opens the cut-over transaction (once) and moves every staged table not moved yet into it. */
  private queueMoves(): Promise<void> {
    this.moves = this.moves.then(async () => {
      const cutover = await (this.cutover ??= this.beginCutover());
      for (const table of this.tables) {
        const columns = this.shadows.get(table.name);
        if (!columns || this.moved.has(table.name)) continue;
        const list = columns.map(quoteId).join(', ');
        await cutover.exec(`INSERT INTO ${quoteId(table.table)} (${list}) SELECT ${list} FROM ${quoteId(shadowName(table))}`);
        this.moved.add(table.name);
      }
    });
    // A failed move fails the next write at once, and commit(); it is never left unhandled.
    this.moves.catch((error: unknown) => void (this.moveFailure ??= error));
    return this.moves;
  }

  private async beginCutover(): Promise<MysqlSession> {
    const cutover = await this.connect();
    await prepareLoadSession(cutover, this.settings.method);
    await cutover.exec('START TRANSACTION');
    for (const table of this.tables) await cutover.exec(`DELETE FROM ${quoteId(table.table)}`);
    return cutover;
  }

  async commit(signal?: AbortSignal): Promise<void> {
    if (!this.open) throw new DatabaseError('commit: the load is already finished');
    // Aborted mid-statement: closing the socket fails the statement; the server rolls back.
    const onAbort = (): void => void this.cutover?.then((c) => c.destroy(), () => {});
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      await this.queueMoves();
      const cutover = await this.cutover!;
      signal?.throwIfAborted();
      await forgetProgress(cutover);
      // The shadows hold exactly the loaded tables' new rows (a table not written has an empty
      // one), committed and clean. Checked there, on the load's own connection, 1M keys take
      // ≈ 1 s; inside the transaction that has just rewritten the tables, 5 to 30 s (measured).
      await checkForeignKeys(this.session, this.tables, shadowName);
      signal?.throwIfAborted();
      await cutover.exec('COMMIT');
      await cutover.end();
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
    // The cut-over transaction dies with its connection; a move still running stops with it.
    await this.cutover?.then((c) => c.destroy(), () => {});
    await endSession(this.session, 'ROLLBACK');
  }
}
