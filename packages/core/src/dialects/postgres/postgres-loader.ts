import type pg from 'pg';
import type { Batch, Loader, WriteRequest } from '../dialect.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import { copyIn } from './postgres-copy-in.ts';
import { beginCutOver, finishCutOver, type OpenCutOver } from './postgres-cut-over.ts';
import { lostWhile } from './postgres-driver.ts';
import { keyOrderError } from './postgres-key-order.ts';
import { preflightLoad } from './postgres-load-preflight.ts';
import { quoteTable } from './postgres-sql.ts';
import { shadowSchema } from './postgres-staging.ts';

/**
 * The direct load (`--direct`): one transaction that switches the target's triggers off, DELETEs
 * every table, COPYs each one in, moves the sequences, checks the foreign keys, refreshes the
 * materialized views, puts the triggers back and commits. Until then readers see the old rows.
 * Faster than a staged load (each row is written once), but a killed run leaves nothing to resume.
 */
export class PostgresLoader implements Loader {
  readonly reused: ReadonlyMap<string, number> = new Map();

  private constructor(
    private readonly client: pg.Client,
    private readonly tables: TableInfo[],
    private readonly open: OpenCutOver,
  ) {}

  /** `tables` parents first, partitions included. Stops before writing anything when a privilege is missing. */
  static async open(client: pg.Client, tables: TableInfo[]): Promise<PostgresLoader> {
    const { cycles } = await preflightLoad(client, tables);
    // What a dead staged run left cannot be resumed by a direct load.
    await client.query(`DROP SCHEMA IF EXISTS ${shadowSchema} CASCADE`);
    return new PostgresLoader(client, tables, await beginCutOver(client, tables, cycles));
  }

  write({ table, columns }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    return copyIn(this.client, quoteTable(table), columns, batches).catch((error: unknown) => {
      const step = `writing ${table.name}`;
      throw lostWhile(step, keyOrderError(step, error, this.open.cycles));
    });
  }

  async commit(signal?: AbortSignal): Promise<void> {
    try {
      signal?.throwIfAborted();
      await finishCutOver(this.client, this.tables, this.open);
      signal?.throwIfAborted();
      await this.client.query('COMMIT');
    } catch (error) {
      await this.rollback();
      throw signal?.aborted ? error : statementError('committing the load', error);
    }
  }

  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => {});
  }
}
