import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Batch, ReadRequest, SnapshotReader } from '../dialect.ts';
import { CopyTextParser } from './copy-text.ts';
import { quoteIdent, quoteTable } from './postgres-driver.ts';

/**
 * Reads every table from one `REPEATABLE READ READ ONLY` snapshot with `COPY … TO STDOUT`.
 * The snapshot is exported so that more connections can later read the same point in time.
 */
export class PostgresReader implements SnapshotReader {
  private constructor(
    private readonly client: pg.Client,
    /** `pg_export_snapshot()` of this transaction, for connections that join it. */
    readonly snapshotId: string,
  ) {}

  static async open(client: pg.Client): Promise<PostgresReader> {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query('SELECT pg_export_snapshot() AS id');
    return new PostgresReader(client, rows[0].id);
  }

  async *read({ table, columns, where, conditions = [] }: ReadRequest): AsyncIterable<Batch> {
    const list = [...columns.map(quoteIdent), ...conditions.map((c) => `(${c})::boolean`)].join(', ');
    // A partitioned parent, a filter or conditions need the query form; a plain table copies directly.
    const sql = table.partitioned || where || conditions.length
      ? `COPY (SELECT ${list} FROM ${quoteTable(table)}${where ? ` WHERE ${where}` : ''}) TO STDOUT`
      : `COPY ${quoteTable(table)} (${list}) TO STDOUT`;
    const stream = this.client.query(copyTo(sql));
    const parser = new CopyTextParser();
    for await (const chunk of stream) {
      const rows = parser.push(chunk as Buffer);
      if (rows.length) yield rows;
    }
    parser.end();
  }

  async close(): Promise<void> {
    await this.client.query('COMMIT').catch(() => {});
    await this.client.end();
  }
}
