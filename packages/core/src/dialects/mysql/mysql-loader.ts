import { DatabaseError } from '../../errors.ts';
import type { Batch, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { statementError } from '../driver-error.ts';
import { endSession, type MysqlSession } from './mysql-driver.ts';
import { checkForeignKeys } from './mysql-foreign-keys.ts';
import { insertRows } from './mysql-insert.ts';
import { loadData } from './mysql-load-data.ts';
import { dropStaging } from './mysql-staging.ts';
import { quoteIdentifier } from './mysql-sql.ts';
import { repairTarget } from './mysql-target-repair.ts';
import { checkCanRecreate, onOwnSession, readTriggers, suspendTriggers } from './mysql-triggers.ts';

/** How rows reach the server: `auto` uses LOAD DATA LOCAL when the server allows it. */
export type MysqlLoadMethod = 'auto' | 'load-data' | 'insert';

/** What a load session writes with; the staged load and its cut-over use the same. */
export interface LoadSettings {
  method: 'load-data' | 'insert';
  /** The longest INSERT statement, in characters, that fits the server's packet limit. */
  maxStatementChars: number;
}

/** Sets the session up for loading and picks the write path. */
export async function prepareLoadSession(session: MysqlSession, method: MysqlLoadMethod): Promise<LoadSettings> {
  const [settings] = await session.rows('SELECT @@local_infile, @@max_allowed_packet');
  const chosen = method !== 'auto' ? method : Number(settings?.[0]) === 1 ? 'load-data' : 'insert';
  // A statement holds up to 3 bytes per character; stay well inside the packet limit.
  const maxStatementChars = Math.min(4 << 20, Math.floor(Number(settings?.[1]) / 3) - 1024);
  // Strict: a value that does not fit is an error, never silently cut. NO_AUTO_VALUE_ON_ZERO:
  // a copied id 0 stays 0 instead of drawing a new auto-increment value.
  await session.exec("SET SESSION sql_mode = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO'");
  // Keys are checked once at the end, so tables can be loaded in any order.
  await session.exec('SET SESSION FOREIGN_KEY_CHECKS = 0, UNIQUE_CHECKS = 0');
  return { method: chosen, maxStatementChars };
}

/** Writes the batches into `into` (the table itself, or its shadow) with the chosen path. */
export function writeRows(
  session: MysqlSession,
  settings: LoadSettings,
  table: TableInfo,
  columns: string[],
  batches: AsyncIterable<Batch>,
  into = table.table,
): Promise<number> {
  return settings.method === 'load-data'
    ? loadData(session, table, columns, batches, into)
    : insertRows(session, table, columns, batches, settings.maxStatementChars, into);
}

/**
 * The direct load (`--direct`): one InnoDB transaction on one dedicated connection: the tables
 * are emptied with DELETE (TRUNCATE would commit), filled, their foreign keys checked, then
 * committed. Until then readers of the target see the old rows; a failure or a crash leaves them
 * in place. Faster than a staged load, but a killed run leaves nothing to resume.
 * Writes run one after another, in the order `write` is called.
 * The loaded tables' triggers are recorded and dropped before the transaction begins and
 * recreated once it has ended (mysql-triggers.ts): here they are missing for the whole load.
 */
export class MysqlLoader implements Loader {
  readonly reused: ReadonlyMap<string, number> = new Map();
  private open = true;

  private constructor(
    private readonly session: MysqlSession,
    private readonly tables: TableInfo[],
    private readonly settings: LoadSettings,
    /** Opens a connection of its own, to recreate the triggers on. */
    private readonly connect: () => Promise<MysqlSession>,
    /** Whether triggers were dropped, to recreate when the load ends. */
    private readonly suspended: boolean,
  ) {}

  /** Starts the load on `session`, which the loader owns from now on; `connect` opens another. */
  static async begin(
    session: MysqlSession,
    tables: TableInfo[],
    method: MysqlLoadMethod,
    connect: () => Promise<MysqlSession>,
  ): Promise<MysqlLoader> {
    let subject = 'beginning the load';
    let suspended = false;
    try {
      // Under the run lock, before anything else: what a run killed mid-cut-over left is finished.
      await onOwnSession(connect, repairTarget);
      const triggers = await readTriggers(session, tables);
      await checkCanRecreate(session, triggers);
      const settings = await prepareLoadSession(session, method);
      // What a dead staged run left cannot be resumed by a direct load. The triggers' record is
      // not part of it: it goes only once they are back.
      await dropStaging(session);
      suspended = triggers.length > 0;
      await suspendTriggers(session, triggers);
      await session.exec('START TRANSACTION');
      for (const table of tables) {
        subject = `emptying table ${quoteIdentifier(table.table)}`;
        await session.exec(`DELETE FROM ${quoteIdentifier(table.table)}`);
      }
      return new MysqlLoader(session, tables, settings, connect, suspended);
    } catch (err) {
      await session.destroy(); // the server rolls back what was begun
      if (suspended) await onOwnSession(connect, repairTarget).catch(() => {});
      throw statementError(subject, err);
    }
  }

  async write({ table, columns }: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    const name = quoteIdentifier(table.table);
    if (!this.open) throw new DatabaseError(`loading table ${name}: the load is already finished`);
    if (!this.tables.some((t) => t.table === table.table)) {
      throw new DatabaseError(`loading table ${name}: the load was not opened for this table`);
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
      throw signal?.aborted ? err : statementError('committing the load', err);
    }
    this.open = false;
    await this.session.end();
    // Auto-increment counters need no step here: InnoDB moves each past the largest value
    // inserted explicitly, and a counter already higher stays where it is.
    await this.restoreTriggers().catch((err: unknown) => {
      throw new DatabaseError(
        `the load committed, but the target's triggers could not all be recreated (the next masque run ` +
          `recreates them first): ${statementError('recreating the triggers', err).message}`,
      );
    });
  }

  async rollback(): Promise<void> {
    if (!this.open) return;
    this.open = false;
    await endSession(this.session, 'ROLLBACK');
    // Left recorded when they cannot come back now: the next run recreates them first.
    await this.restoreTriggers().catch(() => {});
  }

  /** Recreates the triggers dropped for the load, on a connection of its own. */
  private async restoreTriggers(): Promise<void> {
    if (this.suspended) await onOwnSession(this.connect, repairTarget);
  }
}
