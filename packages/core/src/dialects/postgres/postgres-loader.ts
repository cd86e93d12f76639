import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DatabaseError } from '../../errors.ts';
import type { Batch, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { encodeRows } from './copy-text.ts';
import { quoteIdent, quoteLiteral, quoteTable } from './postgres-driver.ts';
import { brokenForeignKeys } from './postgres-foreign-keys.ts';

/**
 * Loads the target in one transaction: TRUNCATE every table, COPY … FROM STDIN each, move the
 * sequences, check the foreign keys, COMMIT. Until the commit, readers see the old rows.
 */
export class PostgresLoader implements Loader {
  private constructor(
    private readonly client: pg.Client,
    private readonly tables: TableInfo[],
  ) {}

  static async open(client: pg.Client, tables: TableInfo[]): Promise<PostgresLoader> {
    await client.query('BEGIN');
    await skipTriggers(client);
    // Partitions are emptied through their parent; TRUNCATE wants every referencing table listed.
    const roots = tables.filter((t) => !t.partitionOf);
    if (roots.length) await client.query(`TRUNCATE ${roots.map(quoteTable).join(', ')}`);
    return new PostgresLoader(client, tables);
  }

  async write({ table, columns }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    const sql = `COPY ${quoteTable(table)} (${columns.map(quoteIdent).join(', ')}) FROM STDIN`;
    const sink = this.client.query(copyFrom(sql));
    await pipeline(Readable.from(encode(batches)), sink);
    return sink.rowCount;
  }

  async commit(): Promise<void> {
    for (const table of this.tables) await this.moveSequences(table);
    const broken = await brokenForeignKeys(this.client, this.tables);
    if (broken.length) {
      await this.rollback();
      throw new DatabaseError(`foreign keys broken in the target: ${broken.join('; ')}`);
    }
    await this.client.query('COMMIT');
  }

  async rollback(): Promise<void> {
    await this.client.query('ROLLBACK').catch(() => {});
  }

  /** Sets each serial/identity sequence so the next value is past the copied maximum. */
  private async moveSequences(table: TableInfo): Promise<void> {
    if (table.partitionOf) return;
    for (const column of table.columns.filter((c) => c.identity)) {
      const { rows } = await this.client.query('SELECT pg_get_serial_sequence($1, $2) AS seq', [quoteTable(table), column.name]);
      const sequence: string | undefined = rows[0]?.seq ?? /^nextval\('(.+)'::regclass\)$/.exec(column.defaultExpr ?? '')?.[1];
      if (!sequence) continue;
      const col = quoteIdent(column.name);
      await this.client.query(
        `SELECT setval(${quoteLiteral(sequence)}, coalesce(max(${col}), 1), max(${col}) IS NOT NULL) FROM ${quoteTable(table)}`,
      );
    }
  }
}

async function* encode(batches: AsyncIterable<Batch>): AsyncIterable<string> {
  for await (const batch of batches) yield encodeRows(batch);
}

/**
 * `session_replication_role = replica` skips foreign-key and user triggers during the load, so
 * tables load in any order (cycles too) and kept columns stay byte-identical (no trigger rewrites
 * them). It needs superuser or a grant; without it the load relies on foreign-key order.
 */
async function skipTriggers(client: pg.Client): Promise<void> {
  await client.query('SAVEPOINT masque_role');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query('RELEASE SAVEPOINT masque_role');
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT masque_role');
  }
}
