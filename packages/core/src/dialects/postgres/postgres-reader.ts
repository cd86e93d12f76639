import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Batch, ReadRequest, SnapshotReader } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { CopyTextParser } from './copy-text.ts';
import { quoteIdent, quoteTable } from './postgres-driver.ts';
import { fingerprintsOf, readCounters } from './postgres-fingerprint.ts';

/**
 * Reads every table from one `REPEATABLE READ READ ONLY` snapshot with `COPY … TO STDOUT`.
 * The snapshot is exported so that more connections can later read the same point in time.
 */
export class PostgresReader implements SnapshotReader {
  private constructor(
    private readonly client: pg.Client,
    /** `pg_export_snapshot()` of this transaction, for connections that join it. */
    readonly snapshotId: string,
    /** Table statistics just before and just after the snapshot began, for fingerprints. */
    private readonly counters: { before: Map<string, string>; after: Map<string, string> },
  ) {}

  static async open(client: pg.Client): Promise<PostgresReader> {
    const before = await readCounters(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query('SELECT pg_export_snapshot() AS id');
    return new PostgresReader(client, rows[0].id, { before, after: await readCounters(client) });
  }

  async fingerprints(tables: TableInfo[]): Promise<Map<string, string>> {
    return fingerprintsOf(this.counters.before, this.counters.after, tables);
  }

  async *read({ table, columns, where, conditions = [] }: ReadRequest): AsyncIterable<Batch> {
    const list = [...columns.map(quoteIdent), ...conditions.map((c) => `(${c})::boolean`)].join(', ');
    // A partitioned parent, a filter or conditions need the query form; a plain table copies directly.
    const sql = table.partitioned || where || conditions.length
      ? `COPY (SELECT ${list} FROM ${quoteTable(table)}${where ? ` WHERE ${where}` : ''}) TO STDOUT`
      : `COPY ${quoteTable(table)} (${list}) TO STDOUT`;
    const stream = this.client.query(copyTo(sql));
    const parser = new CopyTextParser();
    this.reading = true;
    for await (const chunk of stream) {
      const rows = parser.push(chunk as Buffer);
      if (rows.length) yield rows;
    }
    parser.end();
    this.reading = false;
  }

  /** A COPY left half-way (the run was aborted) never ends by itself: then close drops the socket. */
  private reading = false;

  async close(): Promise<void> {
    // A COMMIT would queue behind an abandoned COPY forever; end() drops a busy connection at once.
    if (!this.reading) await this.client.query('COMMIT').catch(() => {});
    await this.client.end();
  }
}
