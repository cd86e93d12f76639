import type pg from 'pg';
import { DatabaseError } from '../../errors.ts';
import type { Batch, LoadOptions, LoadStamp, Loader, WriteRequest } from '../dialect.ts';
import type { TableInfo } from '../schema.ts';
import { stampOf, tablesToKeep } from '../staging.ts';
import { copyIn } from './postgres-copy-in.ts';
import { StagedCutOver } from './postgres-cut-over.ts';
import { lostWhile, type PgConnections } from './postgres-driver.ts';
import { checkShadowKeys, type ShadowKeyCheck } from './postgres-foreign-keys.ts';
import { preflightLoad } from './postgres-load-preflight.ts';
import { patchRows } from './postgres-row-patch.ts';
import {
  createPartShadows,
  createShadow,
  readProgress,
  recordDone,
  resetStaging,
  shadowColumns,
  shadowSchema,
} from './postgres-staging.ts';

/**
 * Streams each table into its shadow in `masque_shadow`, one transaction per table that also
 * records it as done, so a run killed at any moment leaves only finished tables behind. Writes
 * may overlap, each on a connection of its own; a table written in parts (key ranges) is recorded
 * as done once its last part has committed. Each table or part, once committed, goes to the
 * cut-over (`StagedCutOver`), which may move it into place while the rest still loads.
 */
export class PostgresStagedLoader implements Loader {
  readonly concurrentWrites = true;
  /** Columns of every table with a shadow: written by this run or reused. */
  private readonly shadows = new Map<string, string[]>();
  /** Connections free for a write; more are opened while all are busy. */
  private readonly idle: pg.Client[] = [];
  /** Per table written in parts: the shadows of its parts, created once, and the parts still to commit. */
  private readonly parted = new Map<string, { shadows: Promise<string[]>; left: number; rows: number }>();

  private constructor(
    private readonly cutOver: StagedCutOver,
    private readonly tables: TableInfo[],
    private readonly stamp: LoadStamp,
    readonly reused: ReadonlyMap<string, number>,
    private readonly connections: PgConnections,
  ) {}

  /** `cancel` stops the statement running on `client`, from another connection. */
  static async open(
    client: pg.Client,
    tables: TableInfo[],
    options: LoadOptions,
    cancel: () => Promise<void>,
    connections: PgConnections,
  ): Promise<PostgresStagedLoader> {
    // Before anything is staged: a role that cannot keep the target's triggers silent stops here.
    const preflight = await preflightLoad(client, tables);
    const staged = await readProgress(client);
    const keep = tablesToKeep(
      options,
      staged,
      tables.map((t) => t.name),
    );
    await resetStaging(
      client,
      tables.filter((t) => keep.has(t.name)),
    );
    const reused = new Map(staged.filter((s) => keep.has(s.table)).map((s) => [s.table, s.rows]));
    const cutOver = new StagedCutOver(client, tables, cancel, preflight);
    const loader = new PostgresStagedLoader(cutOver, tables, stampOf(options), reused, connections);
    for (const table of tables.filter((t) => keep.has(t.name))) {
      const columns = await shadowColumns(client, table);
      if (!columns) {
        const missing = `the staged copy of ${table.name} is missing from ${shadowSchema}`;
        throw new DatabaseError(`${missing}: run without --resume`);
      }
      loader.shadows.set(table.name, columns);
    }
    return loader;
  }

  async write(request: WriteRequest, batches: AsyncIterable<Batch>): Promise<number> {
    const { table } = request;
    if (this.cutOver.finished) throw new DatabaseError(`loading ${table.name}: the load is already finished`);
    if (this.cutOver.failure) throw this.cutOver.failure;
    return this.writeOnce(request, batches).catch((error: unknown) => {
      throw lostWhile(`writing ${table.name}`, error);
    });
  }

  /** One table, or one part of it, on a connection free for it. */
  private async writeOnce(
    { table, columns, part, patches }: WriteRequest,
    batches: AsyncIterable<Batch>,
  ): Promise<number> {
    const client = this.idle.pop() ?? (await this.connections.connect());
    try {
      if (!part) return await this.writeTable(client, table, columns, batches, patches);
      let parts = this.parted.get(table.name);
      if (!parts) {
        parts = { shadows: createPartShadows(client, table, columns, part.count), left: part.count, rows: 0 };
        this.parted.set(table.name, parts);
      }
      const shadow = (await parts.shadows)[part.index]!;
      const rows = await inTransaction(client, () => copyIn(client, shadow, columns, batches));
      parts.rows += rows;
      this.cutOver.staged({ table, columns, part: part.index });
      if (--parts.left === 0) {
        // A run killed before this line leaves the parts unrecorded: a resume loads the table again.
        await recordDone(client, { table: table.name, rows: parts.rows, columns, ...this.stamp });
        this.shadows.set(table.name, columns);
      }
      return rows;
    } finally {
      this.idle.push(client);
    }
  }

  /**
   * A shadow has no index at all while it loads, so a whole table's write can patch any column;
   * a part goes to the cut-over as soon as it commits, before the table's other parts are loaded.
   */
  canPatch(_table: TableInfo, _column: string, parts: boolean): boolean {
    return !parts;
  }

  /** A whole table: its shadow created, filled, patched and recorded as done in one transaction. */
  private async writeTable(
    client: pg.Client,
    table: TableInfo,
    columns: string[],
    batches: AsyncIterable<Batch>,
    patches?: WriteRequest['patches'],
  ): Promise<number> {
    const rows = await inTransaction(client, async () => {
      const shadow = await createShadow(client, table, columns);
      const written = await copyIn(client, shadow, columns, batches);
      for (const patch of (await patches?.()) ?? []) await patchRows(client, shadow, table, patch);
      await recordDone(client, { table: table.name, rows: written, columns, ...this.stamp });
      return written;
    });
    this.shadows.set(table.name, columns);
    this.cutOver.staged({ table, columns });
    return rows;
  }

  /**
   * `--shards`: rows another process staged into the shadow the shard board made; they go to the
   * cut-over like this loader's own. A complete table is recorded as staged, for a resume: after
   * its rows were committed, so the record never claims rows that are not there.
   */
  async adopt({ table, columns, part }: WriteRequest, tableRows?: number): Promise<void> {
    if (this.cutOver.failure) throw this.cutOver.failure;
    this.cutOver.staged({ table, columns, ...(part && { part: part.index }) });
    if (tableRows === undefined) return;
    const client = this.idle.pop() ?? (await this.connections.connect());
    try {
      await inTransaction(client, () =>
        recordDone(client, { table: table.name, rows: tableRows, columns, ...this.stamp }),
      );
    } finally {
      this.idle.push(client);
    }
    this.shadows.set(table.name, columns);
  }

  commit(signal?: AbortSignal): Promise<void> {
    return this.cutOver.commit(this.shadows, () => this.checkShadowKeys(), signal);
  }

  /**
   * The keys between staged tables, checked on their shadows on a connection of its own while the
   * last moves run, so that the check does not wait for them.
   */
  private async checkShadowKeys(): Promise<ShadowKeyCheck> {
    const client = this.idle.pop() ?? (await this.connections.connect());
    try {
      return await checkShadowKeys(client, this.tables, this.shadows);
    } finally {
      this.idle.push(client);
    }
  }

  rollback(): Promise<void> {
    return this.cutOver.rollback();
  }
}

async function inTransaction<T>(client: pg.Client, work: () => Promise<T>): Promise<T> {
  await client.query('BEGIN');
  try {
    const result = await work();
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
