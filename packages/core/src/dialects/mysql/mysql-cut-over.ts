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
 * The cut-over of a staged load: one InnoDB transaction on a connection of its own, opened when
 * the first rows are staged, that DELETEs every loaded table and then INSERT … SELECTs each shadow
 * (or part of one) as soon as it is staged, while the next ones load; keys are checked at the end,
 * so any order works. Consistent reads of the target see the old rows until its commit and are
 * never blocked by it. Auto-increment counters need no step: InnoDB moves each past the largest
 * value inserted explicitly.
 */
export class MysqlCutOver {
  /** Staged rows not moved yet. */
  private readonly unmoved: StagedRows[] = [];
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
  ) {}

  /** Why a move failed, if one did: it fails the next write at once, whatever table that is for. */
  get failure(): unknown {
    return this.moveFailure;
  }

  /** Adds staged rows to those the next `moveStaged()` moves. */
  add(rows: StagedRows): void {
    this.unmoved.push(rows);
  }

  /** Opens the transaction (once) and moves what was added into it, after the moves before. */
  moveStaged(): void {
    void this.queueMoves();
  }

  /**
   * Finishes the moves, empties the progress table, runs `checkKeys` (the foreign-key check),
   * then commits. Throws when `signal` aborts first; the caller rolls back.
   */
  async commit(checkKeys: () => Promise<void>, signal?: AbortSignal): Promise<void> {
    // Aborted mid-statement: closing the socket fails the statement; the server rolls back.
    const onAbort = (): void => void this.destroy();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      await this.queueMoves();
      const session = await this.session!;
      signal?.throwIfAborted();
      await forgetProgress(session);
      await checkKeys();
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
   * Opens the transaction (once) and moves everything staged and not moved yet into it. A part
   * moves by its key range, which the shadow's primary key reads directly.
   */
  private queueMoves(): Promise<void> {
    this.moves = this.moves.then(async () => {
      this.session ??= this.begin();
      const session = await this.session;
      for (let next = this.unmoved.shift(); next; next = this.unmoved.shift()) {
        const { table, columns, range } = next;
        const target = quoteIdentifier(table.table);
        const list = columns.map(quoteIdentifier).join(', ');
        const from = `${quoteIdentifier(shadowName(table))}${whereClause(undefined, range, quoteIdentifier)}`;
        await session.exec(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${from}`).catch((err: unknown) => {
          throw statementError(`moving table ${target} into place`, err);
        });
      }
    });
    // A failed move fails the next write and commit(); it is never left unhandled. Its message
    // names the table that was moving.
    this.moves.catch((error: unknown) => {
      this.moveFailure ??= error;
    });
    return this.moves;
  }

  private async begin(): Promise<MysqlSession> {
    const session = await this.connect();
    await prepareLoadSession(session, this.settings.method);
    // In REPEATABLE READ, INSERT … SELECT takes next-key locks on the rows it reads, up to the
    // shadow's end, so the next part could not be loaded into it until the commit. In READ
    // COMMITTED it reads the shadow as a consistent read, without locks (MySQL manual, "Locks
    // Set by Different SQL Statements in InnoDB").
    if (this.movesPartsEarly) await session.exec('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await session.exec('START TRANSACTION');
    for (const table of this.tables) {
      await session.exec(`DELETE FROM ${quoteIdentifier(table.table)}`).catch((err: unknown) => {
        throw statementError(`emptying table ${quoteIdentifier(table.table)}`, err);
      });
    }
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
