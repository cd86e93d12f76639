/**
 * The one transaction that replaces the target's rows, shared by both load modes: the direct load
 * fills it with COPY, the staged load by moving the rows in from the shadow tables (`StagedCutOver`).
 */
import type pg from 'pg';
import { DatabaseError } from '../../errors.ts';
import { statementError } from '../driver-error.ts';
import { brokenKeysError } from '../orphan-check.ts';
import type { TableInfo } from '../schema.ts';
import { brokenKeys, foreignKeysOf, type ShadowKeyCheck } from './postgres-foreign-keys.ts';
import { insertOrder } from './postgres-insert-order.ts';
import { quoteIdentifier, quoteLiteral, quoteTable } from './postgres-sql.ts';
import { shadowOf, shadowSchema } from './postgres-staging.ts';

/**
 * BEGIN, then empty the tables with DELETE; resolves to whether foreign-key triggers are off
 * (then tables may be filled in any order). Not TRUNCATE: TRUNCATE takes an ACCESS EXCLUSIVE
 * lock that blocks every reader of the table until commit, while DELETE lets them go on reading
 * the old rows (MVCC) and switch to the new ones at commit. Partitions are emptied through their
 * parent; children go first, for a role that cannot switch foreign-key triggers off.
 */
export async function beginCutOver(client: pg.Client, tables: TableInfo[]): Promise<boolean> {
  await client.query('BEGIN');
  // Keys declared DEFERRABLE are checked at commit even where triggers stay on.
  await client.query('SET CONSTRAINTS ALL DEFERRED');
  const skipping = await skipTriggers(client);
  for (const table of tables.filter((t) => !t.partitionOf).reverse()) {
    await client.query(`DELETE FROM ${quoteTable(table)}`).catch((error: unknown) => {
      throw statementError(`emptying ${table.name}`, error);
    });
  }
  return skipping;
}

/**
 * Moves the sequences, checks every foreign key into or out of the tables (only `shadows.rest`
 * when the shadows were checked); throws when one is broken. The caller commits.
 */
export async function finishCutOver(client: pg.Client, tables: TableInfo[], shadows?: ShadowKeyCheck): Promise<void> {
  for (const table of tables) await moveSequences(client, table);
  const keys = shadows?.rest ?? (await foreignKeysOf(client, tables));
  const broken = [...(shadows?.broken ?? []), ...(await brokenKeys(client, keys))];
  if (broken.length) throw brokenKeysError(broken);
}

/** Rows committed in a shadow: a whole table, or part `part` of it. */
export interface StagedRows {
  table: TableInfo;
  columns: string[];
  part?: number;
}

/**
 * The staged load's cut-over, on the loader's own connection: DELETE every table, INSERT … SELECT
 * from the shadows, move sequences, check foreign keys, drop the staging schema, COMMIT. Readers
 * of the target see the old rows until that commit and are never blocked by it. Where foreign-key
 * triggers can be switched off (any order is then fine), the transaction opens as soon as the
 * first rows are staged, and each staged table — or key range of a split one, from the part's own
 * shadow — moves in while the rest still loads, so the server copies them during the load and
 * `commit()` is left with the last of them and the checks.
 */
export class StagedCutOver {
  /** Committed, or rolled back: nothing more moves in. */
  finished = false;
  /** The first move that failed: it fails the next write, whatever table that is for, and the commit. */
  failure?: unknown;
  /** The transaction, once begun: whether tables may move into it in any order. */
  private begun?: Promise<boolean>;
  /** Staged rows not yet moved into the transaction: whole tables, or parts of one. */
  private readonly pending: StagedRows[] = [];
  /** Tables whose rows are (or were) pending, whole or by parts. */
  private readonly queued = new Set<string>();
  /** The chain of moves still running. */
  private moves: Promise<void> = Promise.resolve();
  /** Per table, the order its rows move in (`insertOrder`), read once. */
  private readonly orders = new Map<string, string>();

  constructor(
    private readonly client: pg.Client,
    private readonly tables: TableInfo[],
    /** Cancels the statement running on `client`, from another connection. */
    private readonly cancel: () => Promise<void>,
  ) {}

  /** Rows are committed in their shadow (a table, or a part of one): they may move in now. */
  staged(rows: StagedRows): void {
    this.pending.push(rows);
    this.queued.add(rows.table.name);
    this.queueMoves();
  }

  /**
   * Moves pending rows into the transaction, after the moves already queued; only where the order
   * does not matter, unless this is the `last` call, with the columns of every shadow: then every
   * staged table (reused ones too) moves, parents first.
   */
  private queueMoves(last?: ReadonlyMap<string, string[]>): Promise<void> {
    if (this.finished) return this.moves;
    this.moves = this.moves.then(async () => {
      this.begun ??= beginCutOver(this.client, this.tables);
      const anyOrder = await this.begun;
      if (!anyOrder && !last) return;
      if (last) {
        for (const table of this.tables) {
          const columns = last.get(table.name);
          if (columns && !this.queued.has(table.name)) this.pending.push({ table, columns });
        }
        const order = (table: TableInfo): number => this.tables.indexOf(table);
        this.pending.sort((a, b) => order(a.table) - order(b.table));
      }
      for (const rows of this.pending.splice(0)) await this.move(rows);
    });
    // A failed move is never left unhandled; its message names the table that was moving.
    this.moves.catch((error: unknown) => {
      this.failure ??= error;
    });
    return this.moves;
  }

  private async move({ table, columns, part }: StagedRows): Promise<void> {
    const list = columns.map(quoteIdentifier).join(', ');
    // A part reads ONLY its own child; a whole table reads its shadow, with every child it has.
    const from = part === undefined ? shadowOf(table) : `ONLY ${shadowOf(table, part)}`;
    if (!this.orders.has(table.name)) this.orders.set(table.name, await insertOrder(this.client, table, columns));
    // OVERRIDING SYSTEM VALUE: the copied ids go into GENERATED ALWAYS identity columns as is.
    const insert = `INSERT INTO ${quoteTable(table)} (${list}) OVERRIDING SYSTEM VALUE SELECT ${list} FROM ${from}`;
    await this.client.query(insert + this.orders.get(table.name)).catch((error: unknown) => {
      throw statementError(`moving ${table.name} into place`, error);
    });
  }

  /**
   * Moves the rest in (`shadows`: the columns of every table with a shadow), checks the keys —
   * those `checkShadows` checks on the shadows meanwhile, on a connection of its own, and the
   * rest — drops the staging area and commits; rolls back on any failure or when `signal` aborts.
   */
  async commit(
    shadows: ReadonlyMap<string, string[]>,
    checkShadows: () => Promise<ShadowKeyCheck>,
    signal?: AbortSignal,
  ): Promise<void> {
    if (this.finished) throw new DatabaseError('commit: the load is already finished');
    const onAbort = (): void => void this.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      signal?.throwIfAborted();
      const onShadows = checkShadows();
      onShadows.catch(() => {}); // awaited below, after the moves
      await this.queueMoves(shadows);
      signal?.throwIfAborted();
      await finishCutOver(this.client, this.tables, await onShadows);
      // Dropped in the same transaction: after the commit nothing is left to resume from.
      await this.client.query(`DROP SCHEMA ${shadowSchema} CASCADE`);
      signal?.throwIfAborted();
      await this.client.query('COMMIT');
      this.finished = true;
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw signal?.aborted ? error : statementError('committing the cut-over', error);
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async rollback(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    // A table may be moving into the transaction: stop it rather than wait for it.
    if (this.begun) await this.cancel();
    await this.moves.catch(() => {});
    await this.client.query('ROLLBACK').catch(() => {});
  }
}

/**
 * `session_replication_role = replica` skips foreign-key and user triggers during the load, so
 * tables load in any order (cycles too) and kept columns stay byte-identical (no trigger rewrites
 * them). It needs superuser or a grant; without it the load relies on foreign-key order.
 * Returns whether the triggers are off.
 */
async function skipTriggers(client: pg.Client): Promise<boolean> {
  await client.query('SAVEPOINT masque_role');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query('RELEASE SAVEPOINT masque_role');
    return true;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT masque_role');
    return false;
  }
}

/** Sets each serial/identity sequence so the next value is past the copied maximum. */
async function moveSequences(client: pg.Client, table: TableInfo): Promise<void> {
  if (table.partitionOf) return;
  for (const column of table.columns.filter((c) => c.identity)) {
    const serial = await client.query('SELECT pg_get_serial_sequence($1, $2) AS seq', [quoteTable(table), column.name]);
    const sequence: string | undefined =
      serial.rows[0]?.seq ?? /^nextval\('(.+)'::regclass\)$/.exec(column.defaultExpr ?? '')?.[1];
    if (!sequence) continue;
    const col = quoteIdentifier(column.name);
    await client.query(
      `SELECT setval(${quoteLiteral(sequence)}, coalesce(max(${col}), 1), max(${col}) IS NOT NULL) ` +
        `FROM ${quoteTable(table)}`,
    );
  }
}
