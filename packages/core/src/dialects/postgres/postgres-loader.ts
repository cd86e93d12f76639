import type pg from 'pg';
import type { Batch, Loader, WriteRequest } from '../dialect.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import { copyIn } from './postgres-copy-in.ts';
import { beginCutOver, finishCutOver } from './postgres-cut-over.ts';
import { lostWhile } from './postgres-driver.ts';
import { quoteTable } from './postgres-sql.ts';
import { shadowSchema } from './postgres-staging.ts';

/**
 * The direct load (`--direct`): one transaction that DELETEs every table, COPYs each one in,
 * moves the sequences, checks the foreign keys and commits. Until then readers see the old rows.
 * Faster than a staged load (each row is written once), but a killed run leaves nothing to resume.
 */
export class PostgresLoader implements Loader {
  readonly reused: ReadonlyMap<string, number> = new Map();

  private constructor(
    private readonly client: pg.Client,
    private readonly tables: TableInfo[],
  ) {}

  static async open(client: pg.Client, tables: TableInfo[]): Promise<PostgresLoader> {
    // What a dead staged run left cannot be resumed by a direct load.
    await client.query(`DROP SCHEMA IF EXISTS ${shadowSchema} CASCADE`);
    await beginCutOver(client, tables);
    return new PostgresLoader(client, tables);
  }

  write({ table, columns }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    return copyIn(this.client, quoteTable(table), columns, batches).catch((error: unknown) => {
      throw lostWhile(`writing ${table.name}`, error);
    });
  }

  async commit(signal?: AbortSignal): Promise<void> {
    try {
      signal?.throwIfAborted();
      await finishCutOver(this.client, this.tables);
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
