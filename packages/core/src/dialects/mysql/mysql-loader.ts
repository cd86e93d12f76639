import { DatabaseError } from '../../errors.ts';
import type { Batch, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { statementError, type MysqlSession } from './mysql-connection.ts';
import { insertRows } from './mysql-insert.ts';
import { readForeignKeys, type MysqlForeignKey } from './mysql-introspector.ts';
import { loadData } from './mysql-load-data.ts';
import { quoteId } from './mysql-sql.ts';

/** How rows reach the server: `auto` uses LOAD DATA LOCAL when the server allows it. */
export type MysqlLoadMethod = 'auto' | 'load-data' | 'insert';

/**
 * The whole load is one InnoDB transaction on one dedicated connection: the tables are emptied
 * with DELETE (TRUNCATE would commit), filled, their foreign keys checked, then committed. Until
 * then readers of the target see the old rows; a failure or a crash leaves them in place.
 * Writes run one after another, in the order `write` is called.
 */
export class MysqlLoader implements Loader {
  private open = true;

  private constructor(
    private readonly session: MysqlSession,
    private readonly tables: TableInfo[],
    private readonly method: 'load-data' | 'insert',
    private readonly maxStatementChars: number,
  ) {}

  /** Starts the load on `session`, which the loader owns from now on. */
  static async begin(session: MysqlSession, tables: TableInfo[], method: MysqlLoadMethod): Promise<MysqlLoader> {
    let subject = 'cannot begin the load';
    try {
      const [settings] = await session.rows('SELECT @@local_infile, @@max_allowed_packet');
      const chosen = method !== 'auto' ? method : Number(settings?.[0]) === 1 ? 'load-data' : 'insert';
      // A statement holds up to 3 bytes per character; stay well inside the packet limit.
      const maxChars = Math.min(4 << 20, Math.floor(Number(settings?.[1]) / 3) - 1024);
      // Strict: a value that does not fit is an error, never silently cut. NO_AUTO_VALUE_ON_ZERO:
      // a copied id 0 stays 0 instead of drawing a new auto-increment value.
      await session.exec("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO'");
      // Keys are checked once at the end (commit), so tables can be loaded in any order.
      await session.exec('SET SESSION FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0');
      await session.exec('START TRANSACTION');
      for (const table of tables) {
        subject = `emptying table ${quoteId(table.table)}`;
        await session.exec(`DELETE FROM ${quoteId(table.table)}`);
      }
      return new MysqlLoader(session, tables, chosen, maxChars);
    } catch (err) {
      await session.destroy(); // the server rolls back what was begun
      throw statementError(subject, err);
    }
  }

  async write({ table, columns }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    if (!this.open) throw new DatabaseError(`loading table ${quoteId(table.table)}: the load is already finished`);
    if (!this.tables.some((t) => t.table === table.table)) {
      throw new DatabaseError(`loading table ${quoteId(table.table)}: the load was not opened for this table`);
    }
    return this.method === 'load-data'
      ? loadData(this.session, table, columns, batches)
      : insertRows(this.session, table, columns, batches, this.maxStatementChars);
  }

  async commit(): Promise<void> {
    if (!this.open) throw new DatabaseError('commit: the load is already finished');
    try {
      await this.checkForeignKeys();
      await this.session.exec('SET SESSION FOREIGN_KEY_CHECKS = 1, UNIQUE_CHECKS = 1');
      await this.session.exec('COMMIT');
    } catch (err) {
      await this.rollback();
      throw statementError('commit', err);
    }
    this.open = false;
    await this.session.end();
    // Auto-increment counters need no step here: InnoDB moves each past the largest value
    // inserted explicitly, and a counter already higher stays where it is.
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    try {
      await this.session.exec('ROLLBACK');
      await this.session.end();
    } catch {
      await this.session.destroy(); // the server rolls back an open transaction when the connection ends
    }
  }

  /**
   * Every key leaving or entering a loaded table: a child row whose key columns are all set must
   * find its parent (MATCH SIMPLE, as InnoDB checks it). Keys entering matter too, because the
   * DELETE may have removed parents of rows in a table that was not loaded.
   */
  private async checkForeignKeys(): Promise<void> {
    const loaded = new Set(this.tables.map((t) => t.table));
    const keys = (await readForeignKeys(this.session)).filter((fk) => loaded.has(fk.table) || loaded.has(fk.referencedTable));
    const broken: string[] = [];
    for (const fk of keys) {
      let rows;
      try {
        rows = await this.session.rows(orphanCountSql(fk));
      } catch (err) {
        throw statementError(`checking foreign key ${fk.name} of table ${quoteId(fk.table)}`, err);
      }
      const count = Number(rows[0]?.[0] ?? 0);
      if (count > 0) broken.push(`${fk.name}: ${count} row(s) of ${quoteId(fk.table)} reference no row of ${quoteId(fk.referencedTable)}`);
    }
    if (broken.length > 0) throw new DatabaseError(`broken foreign key(s), nothing was committed: ${broken.join('; ')}`);
  }
}

function orphanCountSql(fk: MysqlForeignKey): string {
  const present = fk.columns.map((c) => `c.${quoteId(c)} IS NOT NULL`);
  const match = fk.columns.map((c, i) => `p.${quoteId(fk.referencedColumns[i]!)} = c.${quoteId(c)}`);
  const parent = `${quoteId(fk.referencedSchema)}.${quoteId(fk.referencedName)}`;
  return (
    `SELECT COUNT(*) FROM ${quoteId(fk.table)} AS c WHERE ${present.join(' AND ')} ` +
    `AND NOT EXISTS (SELECT 1 FROM ${parent} AS p WHERE ${match.join(' AND ')})`
  );
}
