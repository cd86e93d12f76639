import type { Row, SnapshotReader } from '../dialects/dialect.ts';
import { readRequest } from '../engine/mask-batch.ts';
import type { Plan, TablePlan } from '../engine/plan.ts';
import type { LeakColumn, LeakColumns } from './leak-columns.ts';
import { kindByName } from '../scan/name-signals.ts';
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
  /** Per leak-checked column: how many sampled rows hold each value (`--deep` leaves out categories). */
  rowCounts?: Map<string, Map<string, number>>;
  /**
   * People's names of the sampled rows, whole (`first last`), when the table masks a first-name
   * and a last-name column: one name alone points at nobody, both together at one person.
   */
  fullNames?: { columns: string; values: Set<string> };
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
    const rowCounts = new Map(columns.map((c, i) => [c.name, countValues(sample.items, i)]));
    const values = new Map([...rowCounts].map(([column, counts]) => [column, new Set(counts.keys())]));
    tables.set(name, {
      plan: table,
      rows,
      sampledRows: columns.length ? sample.items.length : Math.min(rows, sampleSize),
      values,
      rowCounts,
      ...fullNamesOf(columns, sample.items),
    });
  }
  return tables;
}

/** The sampled rows per value of the `i`-th column; '' (NULL, the empty string) is no value that could leak. */
function countValues(rows: readonly string[][], i: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const keys of rows) if (keys[i] !== '') counts.set(keys[i]!, (counts.get(keys[i]!) ?? 0) + 1);
  return counts;
}

/** `first last` of every sampled row, when the masked columns hold a first and a last name. */
function fullNamesOf(columns: LeakColumn[], rows: string[][]): Pick<SourceTable, 'fullNames'> {
  const first = columns.findIndex((c) => kindByName(c.name) === 'firstName');
  const last = columns.findIndex((c) => kindByName(c.name) === 'lastName');
  if (first < 0 || last < 0) return {};
  const values = new Set<string>();
  for (const keys of rows) if (keys[first] && keys[last]) values.add(`${keys[first]} ${keys[last]}`);
  return { fullNames: { columns: `${columns[first]!.name}, ${columns[last]!.name}`, values } };
}
