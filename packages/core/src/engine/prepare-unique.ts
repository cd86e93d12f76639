import type { Dialect, Row, SnapshotReader } from '../dialects/dialect.ts';
import { statementError } from '../dialects/driver-error.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import type { RunListener } from './events.ts';
import { readRequest } from './mask-batch.ts';
import { dependenciesOf } from './mask-order.ts';
import { maskColumnsInto } from './masked-row.ts';
import type { Plan, TablePlan } from './plan.ts';
import type { RunAbort } from './run-abort.ts';

/**
 * The scans that plan the repairs of unique masked columns (see UniqueColumn), each run once, when
 * the first table that needs its transform is about to be copied: the table itself, or a table
 * whose foreign key took the key's transform (it shares the repairs, so joins still match). Other
 * tables copy meanwhile.
 */
export class UniquePreparation {
  private readonly scans = new Map<Transform, (reader: SnapshotReader) => Promise<void>>();
  private readonly started = new Map<Transform, Promise<void>>();
  /** Set once every table is copied: a scan still running then is one no table waits for. */
  private finished = false;

  constructor(
    private readonly plan: Plan,
    /** The source database: how its reader spells a `when:` condition that holds. */
    source: Pick<Dialect, 'readsTrue'>,
    onEvent: RunListener = () => {},
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
