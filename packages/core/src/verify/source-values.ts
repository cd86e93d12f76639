import type { Row, SnapshotReader } from '../dialects/dialect.ts';
import { readRequest } from '../engine/mask-batch.ts';
import type { Plan, TablePlan } from '../engine/plan.ts';
import type { LeakColumns } from './leak-columns.ts';
import { Reservoir, valueKey } from './reservoir.ts';

/** Reads every row of a table, in batches, handing each row to `visit`. */
export async function forEachRow(
  reader: SnapshotReader,
  request: Parameters<SnapshotReader['read']>[0],
  visit: (row: Row) => void,
): Promise<number> {
  let rows = 0;
  for await (const batch of reader.read(request)) {
    for (const row of batch) visit(row);
    rows += batch.length;
  }
  return rows;
}

/** What the source holds, per table: its row count and a sample of its masked columns' values. */
export interface SourceTable {
  plan: TablePlan;
  rows: number;
  /** Rows the sampled values come from: all of them, or `sampleSize` when the table is larger. */
  sampledRows: number;
  /** Per leak-checked column name: the distinct non-NULL values of the sampled rows, as keys. */
  values: Map<string, Set<string>>;
}

/**
 * One pass over the source, as `run` reads it (same columns, `where` and `when:` conditions):
 * exact row counts, and the values of masked columns from a uniform sample of at most
 * `sampleSize` rows per table.
 */
export async function readSourceValues(
  plan: Plan,
  reader: SnapshotReader,
  leaks: LeakColumns,
  sampleSize: number,
): Promise<Map<string, SourceTable>> {
  const tables = new Map<string, SourceTable>();
  for (const table of plan.tables) {
    const name = table.source.name;
    const columns = leaks.checked.get(name) ?? [];
    const sample = new Reservoir<string[]>(sampleSize);
    let rows = 0;
    if (!table.skip) {
      rows = await forEachRow(reader, readRequest(table), (row) => {
        if (columns.length) sample.add(columns.map((c) => (row[c.index] === null ? '' : valueKey(row[c.index]!))));
      });
    }
    // '' stands for NULL (and the empty string): neither is a value that could leak.
    const values = new Map(
      columns.map((c, i) => [c.name, new Set(sample.items.map((keys) => keys[i]!).filter((k) => k !== ''))]),
    );
    tables.set(name, {
      plan: table,
      rows,
      sampledRows: columns.length ? sample.items.length : Math.min(rows, sampleSize),
      values,
    });
  }
  return tables;
}
