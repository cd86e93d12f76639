import type pg from 'pg';
import { DatabaseError } from '../../errors.ts';
import type { Batch, LoadOptions, LoadStamp, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { stampOf, tablesToKeep } from '../staging.ts';
import { copyIn } from './postgres-copy-in.ts';
import { quoteIdent, quoteTable } from './postgres-driver.ts';
import { beginReplace, checkReplace } from './postgres-replace.ts';
import { createShadow, readProgress, recordDone, resetStaging, shadowColumns, shadowOf, shadowSchema } from './postgres-shadow.ts';

/**
 * Phase 1 streams each table into its shadow in `masque_shadow`, one transaction per table that
 * also records it as done, so a run killed at any moment leaves only finished tables behind.
 * Phase 2, `commit()`, is one transaction: DELETE every table, INSERT … SELECT from the shadows,
 * move sequences, check foreign keys, drop the staging schema, COMMIT. Readers of the target see
 * the old rows until that commit and are never blocked by it.
 */
export class PostgresStagedLoader implements Loader {
  /** Columns of every table with a shadow: written by this run or reused. */
  private readonly shadows = new Map<string, string[]>();
  private finished = false;

  private constructor(
    private readonly client: pg.Client,
    private readonly tables: TableInfo[],
    private readonly stamp: LoadStamp,
    readonly reused: ReadonlyMap<string, number>,
    /** Cancels the statement running on `client`, from another connection. */
    private readonly cancel: () => Promise<void>,
  ) {}

  static async open(client: pg.Client, tables: TableInfo[], options: LoadOptions, cancel: () => Promise<void>): Promise<PostgresStagedLoader> {
    const staged = await readProgress(client);
    const keep = tablesToKeep(options, staged, tables.map((t) => t.name));
    await resetStaging(client, tables.filter((t) => keep.has(t.name)));
    const reused = new Map(staged.filter((s) => keep.has(s.table)).map((s) => [s.table, s.rows]));
    const loader = new PostgresStagedLoader(client, tables, stampOf(options), reused, cancel);
    for (const table of tables.filter((t) => keep.has(t.name))) {
      const columns = await shadowColumns(client, table);
      if (!columns) throw new DatabaseError(`the staged copy of ${table.name} is missing from ${shadowSchema}: run without --resume`);
      loader.shadows.set(table.name, columns);
    }
    return loader;
  }

  async write({ table, columns }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    if (this.finished) throw new DatabaseError(`loading ${table.name}: the load is already finished`);
    await this.client.query('BEGIN');
    try {
      const rows = await copyIn(this.client, await createShadow(this.client, table, columns), columns, batches);
      await recordDone(this.client, { table: table.name, rows, ...this.stamp });
      await this.client.query('COMMIT');
      this.shadows.set(table.name, columns);
      return rows;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  async commit(signal?: AbortSignal): Promise<void> {
    if (this.finished) throw new DatabaseError('commit: the load is already finished');
    const onAbort = (): void => void this.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      await beginReplace(this.client, this.tables);
      for (const table of this.tables) {
        const columns = this.shadows.get(table.name);
        if (!columns) continue;
        signal?.throwIfAborted();
        const list = columns.map(quoteIdent).join(', ');
        // OVERRIDING SYSTEM VALUE: the copied ids go into GENERATED ALWAYS identity columns as is.
        await this.client.query(`INSERT INTO ${quoteTable(table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM ${shadowOf(table)}`);
      }
      await checkReplace(this.client, this.tables);
      // Dropped in the same transaction: after the commit nothing is left to resume from.
      await this.client.query(`DROP SCHEMA ${shadowSchema} CASCADE`);
      signal?.throwIfAborted();
      await this.client.query('COMMIT');
      this.finished = true;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    await this.client.query('ROLLBACK').catch(() => {});
  }
}
