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
import { keyOrderError, type KeyCycle } from './postgres-key-order.ts';
import type { LoadPreflight } from './postgres-load-preflight.ts';
import { dependentMaterializedViews, refreshMaterializedViews } from './postgres-materialized-views.ts';
import { quoteIdentifier, quoteLiteral, quoteTable } from './postgres-sql.ts';
import { shadowOf, shadowSchema } from './postgres-staging.ts';
import {
  disableTriggers,
  firingModes,
  firingTriggers,
  restoreTriggers,
  type TargetTrigger,
} from './postgres-triggers.ts';

/** The cut-over transaction, once begun. */
export interface OpenCutOver {
  /** Foreign-key triggers are off (session_replication_role = replica): tables may move in any order. */
  anyOrder: boolean;
  /** The target's triggers switched off in it, each to be put back to its own mode before the commit. */
  silenced: TargetTrigger[];
  /** Without `anyOrder`: the cycles of keys that no order satisfies, named when one fails. */
  cycles: KeyCycle[];
}

/**
 * BEGIN, switch off every trigger of the target's that would fire, then empty the tables with
 * DELETE. Not TRUNCATE: TRUNCATE takes an ACCESS EXCLUSIVE lock that blocks every reader of the
 * table until commit, while DELETE lets them go on reading the old rows (MVCC) and switch to the
 * new ones at commit. Partitions are emptied through their parent; children go first (`tables`
 * come parents first), for a role that cannot switch foreign-key triggers off. `cycles`: as
 * `LoadPreflight` found them.
 */
export async function beginCutOver(client: pg.Client, tables: TableInfo[], cycles: KeyCycle[]): Promise<OpenCutOver> {
  await client.query('BEGIN');
  // Keys declared DEFERRABLE are checked at commit even where triggers stay on.
  await client.query('SET CONSTRAINTS ALL DEFERRED');
  const anyOrder = await skipForeignKeyTriggers(client);
  // Read inside the transaction: what is switched off is what is put back, as it is now.
  const silenced = await firingTriggers(client, tables, firingModes(anyOrder));
  await disableTriggers(client, silenced);
  const open: OpenCutOver = { anyOrder, silenced, cycles: anyOrder ? [] : cycles };
  for (const table of tables.filter((t) => !t.partitionOf).reverse()) {
    const subject = `emptying ${table.name}`;
    await client.query(`DELETE FROM ${quoteTable(table)}`).catch((error: unknown) => {
      throw statementError(subject, keyOrderError(subject, error, open.cycles));
    });
  }
  return open;
}

/**
 * Moves the sequences, checks every foreign key into or out of the tables (only `shadows.rest`
 * when the shadows were checked); throws when one is broken. Then refreshes the materialized views
 * over the tables and puts the triggers back. The caller commits.
 */
export async function finishCutOver(
  client: pg.Client,
  tables: TableInfo[],
  open: OpenCutOver,
  shadows?: ShadowKeyCheck,
): Promise<void> {
  for (const table of tables) await moveSequences(client, table);
  const keys = shadows?.rest ?? (await foreignKeysOf(client, tables));
  const broken = [...(shadows?.broken ?? []), ...(await brokenKeys(client, keys))];
  if (broken.length) throw brokenKeysError(broken);
  await refreshMaterializedViews(client, await dependentMaterializedViews(client, tables));
  await restoreTriggers(client, open.silenced);
}

/** Rows committed in a shadow: a whole table, or part `part` of it. */
export interface StagedRows {
  table: TableInfo;
  columns: string[];
  part?: number;
}

/**
 * The staged load's cut-over, on the loader's own connection: switch the target's triggers off,
 * DELETE every table, INSERT … SELECT from the shadows, move sequences, check foreign keys, refresh
 * materialized views, put the triggers back, drop the staging schema, COMMIT. Readers of the target
 * see the old rows until that commit and are never blocked by it. Where foreign-key triggers can
 * be switched off (any order is then fine), the transaction opens as soon as the first rows are
 * staged, and each staged table — or key range of a split one, from the part's own shadow — moves
 * in while the rest still loads, so the server copies them during the load and `commit()` is left
 * with the last of them and the checks. Otherwise it opens in `commit()`: the DELETEs' row locks
 * and the triggers' table locks would only make the target's writers wait through the staging.
 */
export class StagedCutOver {
  /** Committed, or rolled back: nothing more moves in. */
  finished = false;
  /** The first move that failed: it fails the next write, whatever table that is for, and the commit. */
  failure?: unknown;
  /** The transaction, once begun. */
  private begun?: Promise<OpenCutOver>;
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
    private readonly preflight: LoadPreflight,
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
      if (!this.preflight.replica && !last) return;
      this.begun ??= beginCutOver(this.client, this.tables, this.preflight.cycles);
      const { anyOrder } = await this.begun;
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
    const subject = `moving ${table.name} into place`;
    await this.client.query(insert + this.orders.get(table.name)).catch(async (error: unknown) => {
      throw statementError(subject, keyOrderError(subject, error, (await this.begun!).cycles));
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
      await finishCutOver(this.client, this.tables, await this.begun!, await onShadows);
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
 * `session_replication_role = replica` skips foreign-key triggers (and the target's triggers enabled
 * the ordinary way) during the load, so tables load in any order, cycles too. It needs superuser or
 * a grant; without it the load relies on foreign-key order. Returns whether the session is in
 * replica role now (a role's default may have put it there already).
 */
async function skipForeignKeyTriggers(client: pg.Client): Promise<boolean> {
  await client.query('SAVEPOINT masque_role');
  try {
    await client.query('SET LOCAL session_replication_role = replica');
    await client.query('RELEASE SAVEPOINT masque_role');
    return true;
  } catch {
    await client.query('ROLLBACK TO SAVEPOINT masque_role');
    const { rows } = await client.query("SELECT current_setting('session_replication_role') = 'replica' AS replica");
    return rows[0].replica === true;
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
