import { DatabaseError } from '../../errors.ts';
import type { Batch, KeyRange, LoadOptions, LoadStamp, Loader, WriteRequest } from '../dialect.ts';
import { whereClause } from '../key-range.ts';
import type { TableInfo } from '../schema.ts';
import { stampOf, tablesToKeep } from '../staging.ts';
import { statementError } from '../driver-error.ts';
import { endSession, type MysqlSession } from './mysql-connection.ts';
import { readForeignKeys } from './mysql-introspector.ts';
import { checkForeignKeys, prepareLoadSession, writeRows, type LoadSettings, type MysqlLoadMethod } from './mysql-replace.ts';
import { createShadow, dropStaging, forgetProgress, readProgress, recordDone, resetStaging, shadowName } from './mysql-shadow.ts';
import { quoteId } from './mysql-sql.ts';

/**
 * Phase 1 loads each table into its shadow `_masque_new_<table>`, one transaction per table (or
 * per key range of a big one) that, with the table's last rows, records it in `_masque_progress`,
 * so a run killed at any moment leaves only finished tables behind (a shadow not filled to the
 * end has no progress row and is dropped or refilled).
 * Phase 2 is one InnoDB transaction on a connection of its own, opened when the first table is
 * staged: DELETE every table, INSERT … SELECT each shadow (or part) as soon as it is staged (keys
 * are checked at the end, so any order works) while the next ones load; `commit()` empties the
 * progress table, checks the foreign keys (reading the shadows) and COMMITs; then the shadows
 * are dropped. Consistent reads of the target see the old rows until that commit and are never
 * blocked by it.
 * Every shadow is created up front: `CREATE TABLE … LIKE t` waits for a transaction that has
 * written `t` (measured), so no DDL may come once the cut-over transaction has begun.
 */
export class MysqlStagedLoader implements Loader {
  private open = true;
  /** Rows staged so far and parts committed, of each table being written in parts. */
  private readonly staged = new Map<string, { rows: number; parts: number }>();
  /** Staged rows not yet moved: a whole table, or one part's key range. */
  private readonly unmoved: { table: TableInfo; columns: string[]; range?: KeyRange }[] = [];
  /** The cut-over transaction's connection, once begun, and the moves running in it. */
  private cutover?: Promise<MysqlSession>;
  private moves: Promise<void> = Promise.resolve();
  private moveFailure?: unknown;

  private constructor(
    private readonly session: MysqlSession,
    private readonly tables: TableInfo[],
    private readonly settings: LoadSettings,
    private readonly stamp: LoadStamp,
    readonly reused: ReadonlyMap<string, number>,
    private readonly connect: () => Promise<MysqlSession>,
    /** Whether parts move in one by one, which needs the cut-over to read the shadows unlocked. */
    private readonly movePartsEarly: boolean,
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
      const reused = new Map(kept.map((s) => [s.table, s.rows]));
      const loader = new MysqlStagedLoader(session, tables, settings, stampOf(options), reused, connect, await readCommittedAllowed(session));
      for (const s of kept) loader.unmoved.push({ table: tables.find((t) => t.name === s.table)!, columns: s.columns });
      return loader;
    } catch (err) {
      await session.destroy();
      throw statementError('cannot begin the load', err);
    }
  }

  /**
   * Stages a table, or one part of it (a key range), in a transaction of its own. A table is
   * recorded as done with its last part, so a run killed between parts resumes none of it. Each
   * committed part moves into the cut-over at once, while the next one loads.
   */
  async write({ table, columns, part }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    if (!this.open) throw new DatabaseError(`loading table ${quoteId(table.table)}: the load is already finished`);
    if (!this.tables.some((t) => t.table === table.table)) {
      throw new DatabaseError(`loading table ${quoteId(table.table)}: the load was not opened for this table`);
    }
    if (this.moveFailure) throw this.moveFailure;
    const shadow = shadowName(table);
    const before = this.staged.get(table.name) ?? { rows: 0, parts: 0 };
    const last = !part || before.parts + 1 === part.count;
    await this.session.exec('START TRANSACTION');
    try {
      const rows = await writeRows(this.session, this.settings, table, columns, batches, shadow);
      if (last) await recordDone(this.session, { table: table.name, rows: before.rows + rows, ...this.stamp, columns });
      await this.session.exec('COMMIT');
      this.staged.set(table.name, { rows: before.rows + rows, parts: before.parts + 1 });
      if (!part || this.movePartsEarly) this.unmoved.push({ table, columns, ...(part && { range: part.range }) });
      else if (last) this.unmoved.push({ table, columns });
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

  /**
   * Opens the cut-over transaction (once) and moves everything staged and not moved yet into it.
   * A part moves by its key range, which the shadow's primary key reads directly.
   */
  private queueMoves(): Promise<void> {
    this.moves = this.moves.then(async () => {
      const cutover = await (this.cutover ??= this.beginCutover());
      for (let next = this.unmoved.shift(); next; next = this.unmoved.shift()) {
        const { table, columns, range } = next;
        const list = columns.map(quoteId).join(', ');
        const from = `${quoteId(shadowName(table))}${whereClause(undefined, range, quoteId)}`;
        await cutover.exec(`INSERT INTO ${quoteId(table.table)} (${list}) SELECT ${list} FROM ${from}`).catch((err: unknown) => {
          throw statementError(`moving table ${quoteId(table.table)} into place`, err);
        });
      }
    });
    // A failed move fails the next write at once, whatever table that write is for, and commit();
    // it is never left unhandled. Its message names the table that was moving.
    this.moves.catch((error: unknown) => void (this.moveFailure ??= error));
    return this.moves;
  }

  private async beginCutover(): Promise<MysqlSession> {
    const cutover = await this.connect();
    await prepareLoadSession(cutover, this.settings.method);
    // In REPEATABLE READ, INSERT … SELECT takes next-key locks on the rows it reads, up to the
    // shadow's end, so the next part could not be loaded into it until the commit. In READ
    // COMMITTED it reads the shadow as a consistent read, without locks (MySQL manual, "Locks
    // Set by Different SQL Statements in InnoDB").
    if (this.movePartsEarly) await cutover.exec('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await cutover.exec('START TRANSACTION');
    for (const table of this.tables) {
      await cutover.exec(`DELETE FROM ${quoteId(table.table)}`).catch((err: unknown) => {
        throw statementError(`emptying table ${quoteId(table.table)}`, err);
      });
    }
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

/**
 * READ COMMITTED writes cannot be logged as statements: with `binlog_format = STATEMENT` InnoDB
 * refuses them. There, a table staged in parts moves in whole once its last part is staged.
 */
async function readCommittedAllowed(session: MysqlSession): Promise<boolean> {
  const [row] = await session.rows('SELECT @@log_bin, @@binlog_format');
  return Number(row?.[0]) !== 1 || String(row?.[1]).toUpperCase() !== 'STATEMENT';
}
