import type { Dialect, Loader, Row, RowPatch, SnapshotReader } from '../dialects/dialect.ts';
import { statementError } from '../dialects/driver-error.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import type { RunListener } from './events.ts';
import { readRequest } from './mask-batch.ts';
import { dependenciesOf } from './mask-order.ts';
import { maskColumnsInto } from './masked-row.ts';
import type { Plan, TablePlan } from './plan.ts';
import type { RunAbort } from './run-abort.ts';
import type { WorkUnit } from './work-units.ts';

/** A copy that prepares its table's unique columns as it goes (`UniquePreparation.recordCopy`). */
export interface RecordedCopy {
  /** Ends the recordings once every row is written: the rows to patch, column by column; the
   *  second pass reads the table with `reader`. */
  patches(reader: SnapshotReader): Promise<RowPatch[]>;
  /** Drops the recordings of a copy that failed. */
  stop(): void;
}

/**
 * The scans that plan the repairs of unique masked columns (see UniqueColumn), each run once, when
 * the first table that needs its transform is about to be copied: the table itself, or a table
 * whose foreign key took the key's transform (it shares the repairs, so joins still match). Other
 * tables copy meanwhile.
 */
export class UniquePreparation {
  private readonly scans = new Map<Transform, (reader: SnapshotReader) => Promise<void>>();
  private readonly started = new Map<Transform, Promise<void>>();
  /** Unique transforms that their own table's copy prepares (`prepareWhileCopying`). */
  private readonly whileCopying = new Set<Transform>();
  /** Set once every table is copied: a scan still running then is one no table waits for. */
  private finished = false;

  constructor(
    private readonly plan: Plan,
    /** The source database: how its reader spells a `when:` condition that holds. */
    source: Pick<Dialect, 'readsTrue'>,
    private readonly onEvent: RunListener = () => {},
  ) {
    for (const table of plan.tables) {
      if (table.skip) continue;
      // Columns that read others' masked values are scanned after those (see maskedScan).
      for (const index of table.maskOrder ?? table.columns.keys()) {
        const column = table.columns[index]!;
        const unique = column.unique;
        // A foreign key that took its parent key's transform is repaired through the parent.
        if (!unique || column.transform !== unique.transform) continue;
        if (column.dependsOn?.length) unique.readsMasked(maskedScan(table, index, source));
        const subject = `scanning ${table.source.name}.${column.name} for duplicates`;
        this.scans.set(unique.transform, async (reader) => {
          const report = await unique
            .prepare(() => reader.read(readRequest(table)), index)
            .catch((error: unknown) => {
              throw statementError(subject, error);
            });
          onEvent({ type: 'unique', table: table.source.name, column: column.name, ...report });
        });
      }
    }
  }

  /**
   * Takes out of the scans each unique column that its own table's copy can prepare instead,
   * reading the column once rather than twice: the copy writes every value's base output and
   * keeps the first pass's fingerprints; once its rows are loaded, and before its write commits,
   * the second pass finds the repairs and the loader patches those rows, found by their primary
   * key (`recordCopy`). Only where nothing else needs the repairs first or reads what they change:
   * a table with a kept primary key, whose transform no other column shares (a foreign key that
   * took it) and no other column reads masked, into a loader that can patch it (holding no unique
   * index on the column while it loads, in parts where the table is split). Called before `startAll`.
   */
  prepareWhileCopying(units: WorkUnit[], loader: Loader): void {
    const users = new Map<Transform, number>();
    for (const table of this.plan.tables) {
      for (const { transform } of table.columns) if (transform) users.set(transform, (users.get(transform) ?? 0) + 1);
    }
    for (const table of this.plan.tables) {
      const own = units.filter((u) => u.table.target.name === table.target.name);
      if (table.skip || !own.length || primaryKeyIndexes(table) === undefined) continue;
      const parts = own.some((u) => u.part);
      table.columns.forEach((column, index) => {
        const transform = column.unique?.transform;
        if (!transform || column.transform !== transform || !this.scans.has(transform)) return;
        if (users.get(transform) !== 1 || table.columns.some((c) => c.dependsOn?.includes(index))) return;
        if (!loader.canPatch?.(table.target, column.name, parts)) return;
        this.scans.delete(transform);
        this.whileCopying.add(transform);
      });
    }
  }

  /**
   * Starts recording the unique columns `table`'s copy prepares (`prepareWhileCopying`), for all
   * its parts; undefined when it prepares none.
   */
  recordCopy(table: TablePlan): RecordedCopy | undefined {
    const recorded = table.columns.flatMap((column, index) =>
      column.transform && this.whileCopying.has(column.transform) ? [{ column, index, unique: column.unique! }] : [],
    );
    if (!recorded.length) return undefined;
    const key = primaryKeyIndexes(table)!;
    const keyColumns = key.map((i) => table.columns[i]!.name);
    for (const { unique } of recorded) unique.record();
    return {
      patches: async (reader) => {
        const patches: RowPatch[] = [];
        for (const { column, index, unique } of recorded) {
          const { report, rows } = await unique
            .recorded(() => reader.read(readRequest(table)), index, key)
            .catch((error: unknown) => {
              throw statementError(`scanning ${table.source.name}.${column.name} for duplicates`, error);
            });
          this.onEvent({ type: 'unique', table: table.source.name, column: column.name, ...report });
          if (rows.length) patches.push({ keyColumns, column: column.name, rows });
        }
        return patches;
      },
      stop: () => {
        for (const { unique } of recorded) unique.stopRecording();
      },
    };
  }

  /** Whether some unique column is still prepared by a scan of its own. */
  get scanning(): boolean {
    return this.scans.size > 0;
  }

  /**
   * Starts every scan now, one after another on `reader` (a connection of their own), while tables
   * copy. A scan that fails fails the `run` at once, without waiting for a table that needs it.
   */
  startAll(reader: SnapshotReader, run: RunAbort): void {
    let previous: Promise<unknown> = Promise.resolve();
    for (const [transform, scan] of this.scans) {
      if (this.started.has(transform)) continue;
      const started = previous.then(() => scan(reader));
      started.catch((error: unknown) => {
        if (!this.finished) run.fail(error);
      });
      this.started.set(transform, started);
      previous = started.catch(() => {});
    }
  }

  /**
   * Every table is copied, each after the scans it needed: a scan still running (of a table a
   * resumed run took over) is needed by none, and its connection may close under it.
   */
  finish(): void {
    this.finished = true;
  }

  /** True when copying `table` has to wait for a scan first. */
  waitsFor(table: TablePlan): boolean {
    return table.columns.some((c) => c.transform && this.scans.has(c.transform));
  }

  /** Resolves once every unique column whose transform `table` uses is prepared; scans with `reader`. */
  async ready(table: TablePlan, reader: SnapshotReader): Promise<void> {
    for (const index of table.maskOrder ?? table.columns.keys()) {
      const { transform } = table.columns[index]!;
      const scan = transform && this.scans.get(transform);
      if (!scan) continue;
      if (!this.started.has(transform)) this.started.set(transform, scan(reader));
      await this.started.get(transform);
    }
  }

  /** Prepares every unique column now, one after another (`verify` needs them all). */
  async all(reader: SnapshotReader): Promise<void> {
    for (const table of this.plan.tables) await this.ready(table, reader);
  }
}

/**
 * For a unique column whose transform reads masked values: masks, for each scanned source row,
 * the columns it reads (directly or through others), in mask order, into one reused array.
 * Those columns' own unique scans come first (the order above), so their repairs count.
 */
function maskedScan(table: TablePlan, index: number, source: Pick<Dialect, 'readsTrue'>): (row: Row) => Row {
  const columns = table.columns.map((c) => ({ ...c, masked: !!(c.transform || c.condition) }));
  const maskInto = maskColumnsInto(table, source, dependenciesOf(columns, index, table.maskOrder ?? []));
  const masked: Row = new Array(table.columns.length).fill(null);
  return (row) => {
    maskInto(row, masked);
    return masked;
  };
}

/** The indexes of the table's primary-key columns, when it has one that masking keeps as it is. */
function primaryKeyIndexes(table: TablePlan): number[] | undefined {
  const key = table.source.primaryKey.map((name) => table.columns.findIndex((c) => c.name === name));
  const kept = key.every((i) => i >= 0 && !table.columns[i]!.transform && !table.columns[i]!.condition);
  return key.length && kept ? key : undefined;
}
