import { DatabaseError } from '../../errors.ts';
import type { Batch, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { statementError } from '../driver-error.ts';
import { endSession, type MysqlSession } from './mysql-connection.ts';
import { checkForeignKeys, prepareLoadSession, writeRows, type LoadSettings, type MysqlLoadMethod } from './mysql-replace.ts';
import { dropStaging } from './mysql-shadow.ts';
import { quoteId } from './mysql-sql.ts';

export type { MysqlLoadMethod } from './mysql-replace.ts';

/**
 * The direct load (`--direct`): one InnoDB transaction on one dedicated connection: the tables
 * are emptied with DELETE (TRUNCATE would commit), filled, their foreign keys checked, then
 * committed. Until then readers of the target see the old rows; a failure or a crash leaves them
 * in place. Faster than a staged load, but a killed run leaves nothing to resume.
 * Writes run one after another, in the order `write` is called.
 */
export class MysqlLoader implements Loader {
  readonly reused: ReadonlyMap<string, number> = new Map();
  private open = true;

  private constructor(
    private readonly session: MysqlSession,
    private readonly tables: TableInfo[],
    private readonly settings: LoadSettings,
  ) {}

  /** Starts the load on `session`, which the loader owns from now on. */
  static async begin(session: MysqlSession, tables: TableInfo[], method: MysqlLoadMethod): Promise<MysqlLoader> {
    let subject = 'cannot begin the load';
    try {
      const settings = await prepareLoadSession(session, method);
      // What a dead staged run left cannot be resumed by a direct load.
      await dropStaging(session);
      await session.exec('START TRANSACTION');
      for (const table of tables) {
        subject = `emptying table ${quoteId(table.table)}`;
        await session.exec(`DELETE FROM ${quoteId(table.table)}`);
      }
      return new MysqlLoader(session, tables, settings);
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
    return writeRows(this.session, this.settings, table, columns, batches);
  }

  async commit(signal?: AbortSignal): Promise<void> {
    if (!this.open) throw new DatabaseError('commit: the load is already finished');
    try {
      signal?.throwIfAborted();
      await checkForeignKeys(this.session, this.tables);
      signal?.throwIfAborted();
      await this.session.exec('COMMIT');
    } catch (err) {
      await this.rollback();
      throw signal?.aborted ? err : statementError('commit', err);
    }
    this.open = false;
    await this.session.end();
    // Auto-increment counters need no step here: InnoDB moves each past the largest value
    // inserted explicitly, and a counter already higher stays where it is.
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await endSession(this.session, 'ROLLBACK');
  }
}
