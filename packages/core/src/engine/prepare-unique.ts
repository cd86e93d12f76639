import type { SnapshotReader } from '../dialects/dialect.ts';
import { statementError } from '../dialects/driver-error.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import type { RunListener } from './events.ts';
import { readRequest } from './mask-batch.ts';
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
    onEvent: RunListener = () => {},
  ) {
    for (const table of plan.tables) {
      if (table.skip) continue;
      for (const [index, column] of table.columns.entries()) {
        const unique = column.unique;
        // A foreign key that took its parent key's transform is repaired through the parent.
        if (!unique || column.transform !== unique.transform) continue;
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
    for (const { transform } of table.columns) {
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
