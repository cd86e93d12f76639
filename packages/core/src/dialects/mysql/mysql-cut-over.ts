import type { KeyRange } from '../dialect.ts';
import { statementError } from '../driver-error.ts';
import { whereClause } from '../key-range.ts';
import type { TableInfo } from '../schema.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { prepareLoadSession, type LoadSettings } from './mysql-loader.ts';
import { quoteIdentifier } from './mysql-sql.ts';
import { forgetProgress, shadowName } from './mysql-staging.ts';

/** Staged rows to move into their table: a whole shadow, or one part's key range of it. */
export interface StagedRows {
  table: TableInfo;
  columns: string[];
  range?: KeyRange;
}

/**
 * The move: the cut-over of a staged load that cannot swap (mysql-swap.ts says when), which
 * writes the staged rows into the tables. One InnoDB transaction on a connection of its own,
 * opened when the first rows are staged, that DELETEs every loaded table and then INSERT … SELECTs each shadow
 * (or part of one) as soon as it is staged, while the next ones load; keys are checked at the end,
 * so any order works. Consistent reads of the target see the old rows until its commit and are
 * never blocked by it. Auto-increment counters need no step: InnoDB moves each past the largest
 * value inserted explicitly.
 * Tables with triggers, and the tables their foreign keys join (`tablesMovedLate`), wait for
 * `commit()`: their triggers are dropped only then, so that they are missing for as short a time
 * as possible, and only then are those tables emptied and filled in the same transaction.
 */
export class MysqlCutOver {
  /** Staged rows not moved yet. */
  private readonly unmoved: StagedRows[] = [];
  /** Staged rows of the tables that move at commit, once their triggers are gone. */
  private readonly held: StagedRows[] = [];
  /** The transaction's connection, once begun, and the moves running in it. */
  private session?: Promise<MysqlSession>;
  private moves: Promise<void> = Promise.resolve();
  private moveFailure?: unknown;

  constructor(
    private readonly tables: TableInfo[],
    private readonly settings: LoadSettings,
    private readonly connect: () => Promise<MysqlSession>,
    /** Whether parts move in one by one, which needs the cut-over to read the shadows unlocked. */
    readonly movesPartsEarly: boolean,
    /** The tables (`TableInfo.table`) that move at commit, after `dropTriggers` (see `tablesMovedLate`). */
    private readonly late: ReadonlySet<string> = new Set(),
  ) {}

  /** Whether `table` moves at commit, in one piece, rather than as soon as it is staged. */
  movesAtCommit(table: TableInfo): boolean {
    return this.late.has(table.table);
  }

  /** Why a move failed, if one did: it fails the next write at once, whatever table that is for. */
  get failure(): unknown {
    return this.moveFailure;
  }

  /** Adds staged rows to those the next `moveStaged()` moves. */
  add(rows: StagedRows): void {
    (this.movesAtCommit(rows.table) ? this.held : this.unmoved).push(rows);
  }

  /** Opens the transaction (once) and moves what was added into it, after the moves before. */
  moveStaged(): void {
    if (this.unmoved.length > 0) void this.queue((session) => this.move(session, this.unmoved));
  }

  /**
   * Finishes the moves, runs `checkKeys` (the foreign-key check, which reads the shadows), then,
   * when tables wait for their triggers to be gone, `dropTriggers` and their moves, empties the
   * progress table and commits. Throws when `signal` aborts first; the caller rolls back (and
   * brings the triggers back).
   */
  async commit(checkKeys: () => Promise<void>, dropTriggers: () => Promise<void>, signal?: AbortSignal): Promise<void> {
    // Aborted mid-statement: closing the socket fails the statement; the server rolls back.
    const onAbort = (): void => void this.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      await this.queue((session) => this.move(session, this.unmoved));
      signal?.throwIfAborted();
      // Before the triggers go: the check needs none of them gone, and the window stays short.
      await checkKeys();
      if (this.late.size > 0) {
        signal?.throwIfAborted();
        await dropTriggers();
        signal?.throwIfAborted();
        await this.queue(async (session) => {
          for (const table of this.tables.filter((t) => this.movesAtCommit(t))) await this.empty(session, table);
          await this.move(session, this.held);
        });
      }
      const session = await this.session!;
      signal?.throwIfAborted();
      await forgetProgress(session);
      signal?.throwIfAborted();
      await session.exec('COMMIT');
      await session.end();
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Ends the transaction, rolled back by the server with its connection; a running move stops with it. */
  async destroy(): Promise<void> {
    await this.session?.then(
      (s) => s.destroy(),
      () => {},
    );
  }

  /**
   * Runs `step` in the transaction, opened on first use, after the steps before. A failed step
   * fails every later one, the next write and commit(); it is never left unhandled. Its message
   * names the table that was moving.
   */
  private queue(step: (session: MysqlSession) => Promise<void>): Promise<void> {
    this.moves = this.moves.then(async () => {
      this.session ??= this.begin();
      await step(await this.session);
    });
    this.moves.catch((error: unknown) => {
      this.moveFailure ??= error;
    });
    return this.moves;
  }

  /**
   * Moves everything in `rows`, taking each out as it goes. A part moves by its key range, which
   * the shadow's primary key reads directly.
   */
  private async move(session: MysqlSession, rows: StagedRows[]): Promise<void> {
    for (let next = rows.shift(); next; next = rows.shift()) {
      const { table, columns, range } = next;
      const target = quoteIdentifier(table.table);
      const list = columns.map(quoteIdentifier).join(', ');
      const from = `${quoteIdentifier(shadowName(table))}${whereClause(undefined, range, quoteIdentifier)}`;
      await session.exec(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${from}`).catch((err: unknown) => {
        throw statementError(`moving table ${target} into place`, err);
      });
    }
  }

  private async empty(session: MysqlSession, table: TableInfo): Promise<void> {
    await session.exec(`DELETE FROM ${quoteIdentifier(table.table)}`).catch((err: unknown) => {
      throw statementError(`emptying table ${quoteIdentifier(table.table)}`, err);
    });
  }

  private async begin(): Promise<MysqlSession> {
    const session = await this.connect();
    await prepareLoadSession(session, this.settings.method);
    // Unique keys checked row by row: the shadows leave out the unique indexes no foreign key
    // reads, so this is where they are enforced. With UNIQUE_CHECKS off, InnoDB may defer the
    // check (to COMMIT, for a table empty when the transaction began), and MariaDB 10.11 in READ
    // COMMITTED then rolled the whole transaction back while COMMIT reported success.
    await session.exec('SET SESSION UNIQUE_CHECKS = 1');
    // In REPEATABLE READ, INSERT … SELECT takes next-key locks on the rows it reads, up to the
    // shadow's end, so the next part could not be loaded into it until the commit. In READ
    // COMMITTED it reads the shadow as a consistent read, without locks (MySQL manual, "Locks
    // Set by Different SQL Statements in InnoDB").
    if (this.movesPartsEarly) await session.exec('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await session.exec('START TRANSACTION');
    // The tables that move late are emptied late: a DELETE trigger would fire now.
    for (const table of this.tables.filter((t) => !this.movesAtCommit(t))) await this.empty(session, table);
    return session;
  }
}

/**
 * READ COMMITTED writes cannot be logged as statements: with `binlog_format = STATEMENT` InnoDB
 * refuses them. There, a table staged in parts moves in whole once its last part is staged.
 */
export async function readCommittedAllowed(session: MysqlSession): Promise<boolean> {
  const [row] = await session.rows('SELECT @@log_bin, @@binlog_format');
  return Number(row?.[0]) !== 1 || String(row?.[1]).toUpperCase() !== 'STATEMENT';
}
