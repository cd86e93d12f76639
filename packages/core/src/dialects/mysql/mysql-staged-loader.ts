import { DatabaseError } from '../../errors.ts';
import type { Batch, LoadOptions, LoadStamp, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { stampOf, tablesToKeep } from '../staging.ts';
import { statementError } from '../driver-error.ts';
import { MysqlCutOver, readCommittedAllowed } from './mysql-cut-over.ts';
import { endSession, type MysqlSession } from './mysql-driver.ts';
import { checkForeignKeys, readForeignKeys } from './mysql-foreign-keys.ts';
import { prepareLoadSession, writeRows, type LoadSettings, type MysqlLoadMethod } from './mysql-loader.ts';
import { patchRows } from './mysql-row-patch.ts';
import { quoteIdentifier } from './mysql-sql.ts';
import {
  createShadow,
  dropStaging,
  readProgress,
  recordDone,
  resetStaging,
  shadowName,
  unreadIndexes,
} from './mysql-staging.ts';
import { completeIndexes, swapIn, swapRefusal } from './mysql-swap.ts';
import { repairTarget } from './mysql-target-repair.ts';
import { checkCanRecreate, onOwnSession, readTriggers, suspendTriggers, tablesMovedLate } from './mysql-triggers.ts';

/**
 * Phase 1 loads each table into its shadow `_masque_new_<table>`, one transaction per table (or
 * per key range of a big one) that, with the table's last rows, records it in `_masque_progress`,
 * so a run killed at any moment leaves only finished tables behind (a shadow not filled to the
 * end has no progress row and is dropped or refilled).
 * Phase 2, at `commit()`, swaps the shadows in (mysql-swap.ts): their indexes are built, their
 * foreign keys checked, and one RENAME makes them the tables; the target's triggers never fire,
 * as nothing writes its tables. Where the swap is refused (a table not loaded has a key into a
 * loaded one, …) the rows move instead (`MysqlCutOver`): each shadow (or part) moves into its table
 * as soon as it is staged, while the next ones load, and `commit()` commits that transaction;
 * the tables with triggers move at commit, between dropping the triggers and recreating them.
 * Every shadow is created up front: `CREATE TABLE … LIKE t` waits for a transaction that has
 * written `t`, so no DDL may come once a move's transaction has begun.
 * What a killed run left half-done (a swap's old tables, dropped keys and triggers) is finished
 * first thing, before anything else is written (`repairTarget`).
 */
export class MysqlStagedLoader implements Loader {
  private open = true;
  /** Rows staged so far and parts committed, of each table being written in parts. */
  private readonly staged = new Map<string, { rows: number; parts: number }>();

  private constructor(
    private readonly session: MysqlSession,
    private readonly tables: TableInfo[],
    private readonly settings: LoadSettings,
    private readonly stamp: LoadStamp,
    readonly reused: ReadonlyMap<string, number>,
    /** The move, when the load does not swap. */
    private readonly cutOver: MysqlCutOver | undefined,
    private readonly connect: () => Promise<MysqlSession>,
  ) {}

  /** Dropping the triggers (the move), once begun: they come back only after it has ended. */
  private suspending?: Promise<void>;
  /** The swap has begun its last steps: whatever ends the load finishes what it did. */
  private swapping = false;
  /** Index builds of staged shadows (a swap), each on a connection of its own, and the first failure. */
  private readonly builds: Promise<void>[] = [];
  private buildFailure?: unknown;

  /** Starts the load on `session`, which the loader owns from now on; `connect` opens the cut-over's. */
  static async begin(
    session: MysqlSession,
    tables: TableInfo[],
    method: MysqlLoadMethod,
    options: LoadOptions,
    connect: () => Promise<MysqlSession>,
  ): Promise<MysqlStagedLoader> {
    try {
      // Under the run lock, before anything else: what a run killed mid-cut-over left is finished.
      await onOwnSession(connect, repairTarget);
      const triggers = await readTriggers(session, tables);
      await checkCanRecreate(session, triggers);
      const settings = await prepareLoadSession(session, method);
      const staged = await readProgress(session);
      const keep = tablesToKeep(
        options,
        staged,
        tables.map((t) => t.name),
      );
      await resetStaging(
        session,
        tables.filter((t) => keep.has(t.name)),
      );
      const keys = await readForeignKeys(session);
      const { refused, definitions } = await swapRefusal(session, tables);
      for (const table of tables.filter((t) => !keep.has(t.name))) {
        // Swapped, a shadow builds every index after its load; moved, it needs only those the key check reads.
        const candidates = definitions.get(table.table)?.indexes.map((index) => index.name) ?? [];
        const referenced = keys.filter((k) => k.referencedTable === table.table).map((k) => k.referencedColumns);
        await createShadow(
          session,
          table,
          refused ? await unreadIndexes(session, table, referenced, candidates) : candidates,
        );
      }
      const kept = staged.filter((s) => keep.has(s.table));
      const reused = new Map(kept.map((s) => [s.table, s.rows]));
      const cutOver = refused
        ? new MysqlCutOver(
            tables,
            settings,
            connect,
            await readCommittedAllowed(session),
            tablesMovedLate(tables, triggers, keys),
          )
        : undefined;
      const loader = new MysqlStagedLoader(session, tables, settings, stampOf(options), reused, cutOver, connect);
      for (const s of kept) cutOver?.add({ table: tables.find((t) => t.name === s.table)!, columns: s.columns });
      return loader;
    } catch (err) {
      await session.destroy();
      throw statementError('beginning the load', err);
    }
  }

  /**
   * Swapped, a shadow builds its secondary indexes after its load, and the write of a table (of
   * its last part: all parts load into one shadow) can patch any column; moved, a shadow keeps
   * the indexes the key check reads, and its parts may move before the last is loaded.
   */
  canPatch(): boolean {
    return !this.cutOver;
  }

  /**
   * Stages a table, or one part of it (a key range), in a transaction of its own. A table is
   * recorded as done with its last part, so a run killed between parts resumes none of it. Each
   * committed part moves into the cut-over at once, while the next one loads.
   */
  async write({ table, columns, part, patches }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    const name = quoteIdentifier(table.table);
    if (!this.open) throw new DatabaseError(`loading table ${name}: the load is already finished`);
    if (!this.tables.some((t) => t.table === table.table)) {
      throw new DatabaseError(`loading table ${name}: the load was not opened for this table`);
    }
    if (this.cutOver?.failure) throw this.cutOver.failure;
    if (this.buildFailure) throw this.buildFailure;
    const before = this.staged.get(table.name) ?? { rows: 0, parts: 0 };
    const last = !part || before.parts + 1 === part.count;
    try {
      await this.session.exec('START TRANSACTION');
      const rows = await writeRows(this.session, this.settings, table, columns, batches, shadowName(table));
      if (last) {
        for (const patch of (await patches?.()) ?? []) await patchRows(this.session, shadowName(table), patch);
        await recordDone(this.session, { table: table.name, rows: before.rows + rows, ...this.stamp, columns });
      }
      await this.session.exec('COMMIT');
      this.staged.set(table.name, { rows: before.rows + rows, parts: before.parts + 1 });
      const cutOver = this.cutOver;
      if (!cutOver) {
        if (last) this.buildIndexes(table);
        return rows;
      }
      if (cutOver.movesAtCommit(table) || (part && !cutOver.movesPartsEarly)) {
        if (last) cutOver.add({ table, columns });
      } else {
        cutOver.add({ table, columns, ...(part && { range: part.range }) });
      }
      cutOver.moveStaged();
      return rows;
    } catch (err) {
      await this.session.exec('ROLLBACK').catch(() => {});
      // Into an empty table with UNIQUE_CHECKS off, MariaDB bulk-loads and builds the indexes at
      // the end, where a duplicate key shows up only as error 1180 (ER_ERROR_DURING_COMMIT).
      if ((err as { errno?: number }).errno === 1180 || /\bER_ERROR_DURING_COMMIT\b/.test((err as Error).message)) {
        throw new DatabaseError(
          `loading table ${name}: a primary or unique key is duplicated (found when committing the bulk load)`,
        );
      }
      throw statementError(`loading table ${name}`, err);
    }
  }

  async commit(signal?: AbortSignal): Promise<void> {
    if (!this.open) throw new DatabaseError('commit: the load is already finished');
    if (!this.cutOver) return this.commitSwap(signal);
    const cutOver = this.cutOver;
    try {
      // The shadows hold exactly the loaded tables' new rows (a table not written has an empty
      // one), committed and clean: their keys are checked there, on the load's own connection,
      // rather than inside the cut-over, where every row just rewritten costs a visibility check.
      await cutOver.commit(
        () => checkForeignKeys(this.session, this.tables, shadowName),
        () => (this.suspending = this.dropTriggers()),
        signal,
      );
    } catch (err) {
      await this.rollback();
      throw signal?.aborted ? err : statementError('committing the cut-over', err);
    }
    this.open = false;
    try {
      await this.restoreTriggers('the cut-over committed');
    } finally {
      // After the commit: DDL cannot join the transaction. A crash here leaves shadows without
      // progress rows, which the next run drops.
      await dropStaging(this.session).catch(() => {});
      await this.session.end();
    }
  }

  /**
   * Builds every shadow's indexes, checks the foreign keys on the shadows (they hold exactly the
   * tables' new rows), swaps them in, then finishes: the old tables dropped, keys and triggers made
   * again. Aborted mid-statement, the connection closes under it: a RENAME still waiting for its
   * locks is then dropped by the server, one already running ends, and `rollback()` finishes it.
   */
  private async commitSwap(signal?: AbortSignal): Promise<void> {
    const onAbort = (): void => void this.session.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await Promise.all(this.builds);
      if (this.buildFailure) throw this.buildFailure;
      for (const table of this.tables) {
        signal?.throwIfAborted();
        // Those of shadows a dead run staged, or whose build failed.
        await completeIndexes(this.session, table);
      }
      signal?.throwIfAborted();
      await checkForeignKeys(this.session, this.tables, shadowName, false);
      signal?.throwIfAborted();
      this.swapping = true;
      await swapIn(this.session, this.tables);
    } catch (err) {
      await this.rollback();
      throw signal?.aborted ? err : statementError('committing the cut-over', err);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
    this.open = false;
    try {
      await onOwnSession(this.connect, repairTarget).catch((err: unknown) => {
        throw new DatabaseError(
          'the loaded tables were swapped in, but their foreign keys and triggers could not all be made again (the ' +
            `next masque run makes them first): ${statementError('finishing the swap', err).message}`,
        );
      });
    } finally {
      await this.session.end();
    }
  }

  /**
   * Builds a staged shadow's secondary indexes on a connection of its own, while the next tables
   * load: the server has time to spare while masque masks; `commit()` waits for them. A failure
   * (a duplicate in a unique index) fails the next write and the commit.
   */
  private buildIndexes(table: TableInfo): void {
    const build = onOwnSession(this.connect, (session) => completeIndexes(session, table));
    build.catch((err: unknown) => {
      this.buildFailure ??= err;
    });
    this.builds.push(build.catch(() => {}));
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    // The cut-over transaction dies with its connection; a move still running stops with it.
    await this.cutOver?.destroy();
    if (this.swapping) {
      // The RENAME may have happened: finish it, or find nothing to do.
      await this.session.destroy();
      await onOwnSession(this.connect, repairTarget).catch(() => {});
      return;
    }
    // Left recorded when they cannot come back now: the next run recreates them first.
    await this.restoreTriggers('the cut-over was rolled back').catch(() => {});
    await endSession(this.session, 'ROLLBACK');
  }

  /**
   * Records and drops the triggers of the tables that move at commit, read again now (one may
   * have changed during the load), on the load's connection, idle by then.
   */
  private async dropTriggers(): Promise<void> {
    const triggers = await readTriggers(
      this.session,
      this.tables.filter((t) => this.cutOver?.movesAtCommit(t)),
    );
    await checkCanRecreate(this.session, triggers);
    await suspendTriggers(this.session, triggers);
  }

  /**
   * Recreates the dropped triggers, once the drop has ended (a drop still running would undo a
   * recreation). `outcome` says what the target holds, for the error when one cannot be made.
   */
  private async restoreTriggers(outcome: string): Promise<void> {
    if (!this.suspending) return;
    await this.suspending.catch(() => {});
    await onOwnSession(this.connect, repairTarget).catch((err: unknown) => {
      throw new DatabaseError(
        `${outcome}, but the target's triggers could not all be recreated (the next masque run recreates them ` +
          `first): ${statementError('recreating the triggers', err).message}`,
      );
    });
  }
}
