import { DatabaseError } from '../../errors.ts';
import type { Batch, KeyLookup, ReadRequest, SnapshotReader } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { statementError } from '../driver-error.ts';
import { endSession, type MysqlSession } from './mysql-driver.ts';
import { whereClause } from '../key-range.ts';
import { countMysqlRows, mysqlLookupRequest } from './mysql-key-lookup.ts';
import { sourceVersionsOf } from './mysql-source-version.ts';
import { quoteIdentifier } from './mysql-sql.ts';
import { isRawType } from './mysql-types.ts';

/**
 * A batch is handed on at this many rows or about this many bytes, whichever comes first. About
 * three batches are alive at once (one filling, one waiting, one being masked and written), all
 * in V8's young generation: batches of 1,000 rows often outlived it, and their rows were copied
 * into the old generation by the hundred megabytes, to be freed only by full collections.
 */
export const batchRows = 400;
const batchBytes = 1 << 20;

/**
 * Reads every table inside one `REPEATABLE READ` transaction opened `WITH CONSISTENT SNAPSHOT`,
 * on one dedicated connection, so all tables show the same point in time.
 */
export class MysqlSnapshotReader implements SnapshotReader {
  private open = true;

  private constructor(private readonly session: MysqlSession) {}

  /** Starts the snapshot on `session`, which the reader owns from now on. */
  static async start(session: MysqlSession): Promise<MysqlSnapshotReader> {
    try {
      await session.exec('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
      await session.exec('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    } catch (err) {
      await session.destroy();
      throw statementError('opening a consistent snapshot', err);
    }
    return new MysqlSnapshotReader(session);
  }

  async *read({ table, columns, where, conditions = [], range }: ReadRequest): AsyncIterable<Batch> {
    if (!this.open) throw new DatabaseError(`reading table ${quoteIdentifier(table.table)}: the snapshot is closed`);
    const selected = [...columns.map(quoteIdentifier), ...conditions.map((c) => `(${c})`)].join(', ');
    const sql = `SELECT ${selected} FROM ${quoteIdentifier(table.table)}${whereClause(where, range, quoteIdentifier)}`;
    // for-await pulls batches from the stream, and the socket pauses while one waits: rows
    // arrive no faster than the consumer takes batches.
    const rawBytes = table.columns.some((c) => columns.includes(c.name) && isRawType(c));
    const batches = this.session.batches(sql, { rows: batchRows, bytes: batchBytes }, rawBytes);
    let settled = false;
    try {
      for await (const batch of batches) yield batch as Batch;
      settled = true;
    } catch (err) {
      settled = true;
      throw statementError(`reading table ${quoteIdentifier(table.table)}`, err);
    } finally {
      // The consumer stopped early (preview, or a failure downstream). The server would go on
      // sending every remaining row before the connection could run anything else, so drop the
      // connection instead; the snapshot ends with it.
      if (!settled) await this.abandon();
    }
  }

  /** A subset's lookup by key: a read whose filter holds the keys (mysql-key-lookup.ts). */
  readByKeys(lookup: KeyLookup): AsyncIterable<Batch> {
    return this.read(mysqlLookupRequest(lookup));
  }

  countRows(table: TableInfo): Promise<number> {
    if (!this.open) throw new DatabaseError(`counting table ${quoteIdentifier(table.table)}: the snapshot is closed`);
    return countMysqlRows(this.session, table);
  }

  /**
   * The smallest and largest key, in the snapshot, so a big table can be planned as key ranges.
   * There is one reader (no snapshot to share), so the ranges are read one after another; what
   * they give is a staged table moving into the cut-over part by part while the next part loads.
   */
  async keyBounds(table: TableInfo, column: string): Promise<{ min: bigint; max: bigint } | null> {
    const col = quoteIdentifier(column);
    const [row] = await this.session
      .rows(`SELECT CAST(MIN(${col}) AS CHAR), CAST(MAX(${col}) AS CHAR) FROM ${quoteIdentifier(table.table)}`)
      .catch((err: unknown) => {
        throw statementError(`reading the key range of table ${quoteIdentifier(table.table)}`, err);
      });
    return row?.[0] == null ? null : { min: BigInt(String(row[0])), max: BigInt(String(row[1])) };
  }

  /** `CHECKSUM TABLE` of each table, inside the snapshot (`mysql-source-version.ts`). */
  async sourceVersions(tables: TableInfo[]): Promise<Map<string, string>> {
    if (!this.open) throw new DatabaseError('reading the source version: the snapshot is closed');
    return sourceVersionsOf(this.session, tables);
  }

  async close(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await endSession(this.session, 'COMMIT');
  }

  private async abandon(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await this.session.destroy();
  }
}
