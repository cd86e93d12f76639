import type { Dialect, Loader, SnapshotReader } from '../dialects/dialect.ts';
import { statementError } from '../dialects/driver-error.ts';
import { abortable } from './abort.ts';
import type { RunListener, TableSummary } from './events.ts';
import { runJobs } from './jobs.ts';
import { createBatchMasker, maskBatches, readRequest } from './mask-batch.ts';
import { maskedColumnNames, type TablePlan } from './plan.ts';
import type { RecordedCopy, UniquePreparation } from './prepare-unique.ts';
import type { RunAbort } from './run-abort.ts';
import { keptOf } from './subset/compute-subset.ts';
import type { WorkUnit } from './work-units.ts';

/**
 * Copies the units, one job per reader of `source`: read from the snapshot, mask, write. A table
 * split into parts is one table to the listener (one start, its rows summed, one done when its
 * last part is written). A loader with one connection takes the writes one after another; reads
 * and the unique scans of other jobs go on meanwhile. Each table's summary is added to `done` once
 * it is written. The first failure of a job aborts `run`, which stops the other jobs at once.
 */
export async function copyUnits(
  units: WorkUnit[],
  source: Pick<Dialect, 'readsTrue'>,
  readers: SnapshotReader[],
  loader: Loader,
  unique: UniquePreparation,
  onEvent: RunListener,
  done: TableSummary[],
  run: RunAbort,
): Promise<void> {
  const tables = new Map<TablePlan, TableCopy>();
  const partsOf = (table: TablePlan): number => units.filter((u) => u.table === table).length;
  const write = loader.concurrentWrites ? (run: () => Promise<number>) => run() : oneAtATime<number>();
  // Writes that may overlap need no load order: tables that wait for a unique scan go last, so
  // the jobs copy the others while it runs. (One at a time, the order keeps parents first.)
  if (loader.concurrentWrites) {
    units = [...units.filter((u) => !unique.waitsFor(u.table)), ...units.filter((u) => unique.waitsFor(u.table))];
  }

  const copyUnit = async (unit: WorkUnit, reader: SnapshotReader, signal: AbortSignal): Promise<void> => {
    const { table } = unit;
    let copy = tables.get(table);
    if (!copy) {
      copy = new TableCopy(table, partsOf(table), onEvent, done, unique.recordCopy(table));
      tables.set(table, copy);
    }
    if (table.skip) return copy.partDone(0);
    await unique.ready(table, reader);
    const request = { ...readRequest(table), ...(unit.part && { range: unit.part.range }) };
    const mask = createBatchMasker(table, source);
    const batches = maskBatches(abortable(reader.read(request), signal), mask, (n, size) => copy.progress(n, size));
    const columns = table.columns.map((c) => c.name);
    const recorded = copy.recorded;
    const into = {
      table: table.target,
      columns,
      ...(unit.part && { part: unit.part }),
      // The loader asks once the table's last part is loaded.
      ...(recorded && { patches: () => recorded.patches(reader) }),
    };
    let written: number;
    try {
      written = await write(() => loader.write(into, batches));
    } catch (error) {
      // A loader's own errors name what failed (another table's move, say); a driver's error here
      // comes from reading or writing this table.
      throw statementError(`copying ${table.source.name}`, error);
    }
    copy.partDone(written);
  };
  try {
    await runJobs(units, readers, copyUnit, run);
  } finally {
    for (const copy of tables.values()) copy.recorded?.stop();
  }
}

/** One table's copy across its parts, as the listener hears of it. */
class TableCopy {
  private readonly started = Date.now();
  private rows = 0;
  private bytes = 0;
  private written = 0;

  constructor(
    private readonly plan: TablePlan,
    private partsLeft: number,
    private readonly onEvent: RunListener,
    private readonly done: TableSummary[],
    /** Its unique columns, when its copy prepares them (UniquePreparation.recordCopy). */
    readonly recorded: RecordedCopy | undefined,
  ) {
    const estimated = plan.source.estimatedRows;
    const estimate = estimated !== undefined && { estimatedRows: estimated };
    onEvent({ type: 'table-start', table: plan.source.name, ...estimate });
  }

  progress(rows: number, bytes: number): void {
    this.rows += rows;
    this.bytes += bytes;
    this.onEvent({ type: 'table-progress', table: this.plan.source.name, rows: this.rows, bytes: this.bytes });
  }

  /** A part is written, with `written` rows (the loader's count). */
  partDone(written: number): void {
    this.written += written;
    if (--this.partsLeft > 0) return;
    const summary: TableSummary = {
      table: this.plan.source.name,
      rows: this.written,
      bytes: this.bytes,
      seconds: (Date.now() - this.started) / 1000,
      skipped: this.plan.skip,
      maskedColumns: maskedColumnNames(this.plan),
      ...keptOf(this.plan, this.written),
    };
    this.done.push(summary);
    this.onEvent({ type: 'table-done', summary });
  }
}

/** Runs the functions it is given one after another, in the order they were given. */
function oneAtATime<T>(): (run: () => Promise<T>) => Promise<T> {
  let turn: Promise<unknown> = Promise.resolve();
  return (run) => {
    const result = turn.then(run);
    turn = result.catch(() => {});
    return result;
  };
}
