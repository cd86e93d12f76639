import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { Batch, KeyLookup, ReadRequest, SnapshotReader } from '../dialect.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import { whereClause } from '../key-range.ts';
import { CopyTextParser } from './postgres-copy-text.ts';
import { countPostgresRows, postgresLookupRequest } from './postgres-key-lookup.ts';
import { lostWhile, type PgConnections } from './postgres-driver.ts';
import { quoteIdentifier, quoteTable } from './postgres-sql.ts';
import { sourceVersionsOf, readCounters } from './postgres-source-version.ts';

/**
 * Reads every table from one `REPEATABLE READ READ ONLY` snapshot with `COPY … TO STDOUT`.
 * The snapshot is exported so that more connections can later read the same point in time.
 */
export class PostgresReader implements SnapshotReader {
  private constructor(
    private readonly client: pg.Client,
    /** `pg_export_snapshot()` of this transaction, for connections that join it. */
    readonly snapshotId: string,
    /** Table statistics just before and just after the snapshot began, for source versions. */
    private readonly counters: { before: Map<string, string>; after: Map<string, string> },
    private readonly connections: PgConnections,
  ) {}

  static async open(client: pg.Client, connections: PgConnections): Promise<PostgresReader> {
    const before = await readCounters(client);
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows } = await client.query('SELECT pg_export_snapshot() AS id');
    return new PostgresReader(client, rows[0].id, { before, after: await readCounters(client) }, connections);
  }

  /** A second connection in this snapshot (`SET TRANSACTION SNAPSHOT`); valid while this one is open. */
  async share(): Promise<SnapshotReader> {
    try {
      return await PostgresReader.join(this.snapshotId, this.connections, this.counters);
    } catch (error) {
      throw statementError('opening another reader of the snapshot', error);
    }
  }

  /**
   * A reader of the snapshot `snapshotId`, which another connection exported — of this process,
   * or of another one (`--shards`) — and keeps open. Without `counters` it knows no source versions.
   */
  static async join(
    snapshotId: string,
    connections: PgConnections,
    counters = { before: new Map<string, string>(), after: new Map<string, string>() },
  ): Promise<PostgresReader> {
    const client = await connections.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET TRANSACTION SNAPSHOT '${snapshotId.replaceAll("'", "''")}'`);
    return new PostgresReader(client, snapshotId, counters, connections);
  }

  async keyBounds(table: TableInfo, column: string): Promise<{ min: bigint; max: bigint } | null> {
    const col = quoteIdentifier(column);
    const { rows } = await this.client
      .query(`SELECT min(${col})::text AS min, max(${col})::text AS max FROM ${quoteTable(table)}`)
      .catch((error: unknown) => {
        throw statementError(`reading the key range of ${table.name}`, error);
      });
    return rows[0].min === null ? null : { min: BigInt(rows[0].min), max: BigInt(rows[0].max) };
  }

  async sourceVersions(tables: TableInfo[]): Promise<Map<string, string>> {
    return sourceVersionsOf(this.counters.before, this.counters.after, tables);
  }

  /** A subset's lookup by key: a read whose filter holds the keys (postgres-key-lookup.ts). */
  readByKeys(lookup: KeyLookup): AsyncIterable<Batch> {
    return this.read(postgresLookupRequest(lookup));
  }

  countRows(table: TableInfo): Promise<number> {
    return countPostgresRows(this.client, table);
  }

  async *read({ table, columns, where, conditions = [], range }: ReadRequest): AsyncIterable<Batch> {
    const list = [...columns.map(quoteIdentifier), ...conditions.map((c) => `(${c})::boolean`)].join(', ');
    const filter = whereClause(where, range, quoteIdentifier);
    // A partitioned parent, a filter or conditions need the query form; a plain table copies directly.
    const sql =
      table.partitioned || filter || conditions.length
        ? `COPY (SELECT ${list} FROM ${quoteTable(table)}${filter}) TO STDOUT`
        : `COPY ${quoteTable(table)} (${list}) TO STDOUT`;
    const stream = this.client.query(copyTo(sql));
    const parser = new CopyTextParser();
    try {
      for await (const chunk of stream) {
        const rows = parser.push(chunk as Buffer);
        if (rows.length) yield rows;
      }
    } catch (error) {
      // A statement that failed is the engine's to name (it knows the table by its rules).
      throw lostWhile(`reading ${table.name}`, error);
    }
    parser.end();
  }

  /**
   * Ends the connection, and with it the read-only transaction: nothing to commit. A COPY left
   * half-way (the run was aborted) never ends by itself: then the socket is dropped at once.
   */
  close(): Promise<void> {
    return this.connections.end(this.client);
  }
}
