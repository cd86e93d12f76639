import type { KeyRange, SnapshotReader } from '../dialects/dialect.ts';
import type { TablePlan } from './plan.ts';

/**
 * One independent piece of a run: a table, or a key range of a big one. Units of one table can
 * be read, masked and written at the same time on separate connections (`--jobs N`), and the same
 * list could later be spread over several machines.
 */
export interface WorkUnit {
  table: TablePlan;
  /** Set when the table is split: this unit's place among the table's parts, and its key range. */
  part?: { index: number; count: number; range: KeyRange };
}

/** Rows per unit when a table is split: big enough that a unit's start-up cost stays small. */
export const unitRows = 250_000;

/**
 * The run's units in load order. When `split`, a table of more than two units' rows
 * with a single integer primary key is split into key ranges of about `rowsPerUnit` rows each,
 * evenly over its keys (one `min`/`max` query); the first and last ranges are open-ended, so a
 * key outside the bounds (there is none in the snapshot) could not be missed.
 */
export async function planWorkUnits(
  tables: TablePlan[],
  reader: SnapshotReader,
  split: boolean,
  rowsPerUnit = unitRows,
): Promise<WorkUnit[]> {
  const units: WorkUnit[] = [];
  for (const table of tables) {
    const key = splitKey(table);
    const estimated = table.source.estimatedRows ?? 0;
    const bounds =
      split && key && reader.keyBounds && estimated > 2 * rowsPerUnit
        ? await reader.keyBounds(table.source, key)
        : null;
    if (!key || !bounds) {
      units.push({ table });
      continue;
    }
    const count = Math.ceil(estimated / rowsPerUnit);
    const span = bounds.max - bounds.min + 1n;
    const edge = (i: number): bigint => bounds.min + (span * BigInt(i)) / BigInt(count);
    for (let index = 0; index < count; index++) {
      const range = {
        column: key,
        ...(index > 0 && { from: edge(index) }),
        ...(index < count - 1 && { to: edge(index + 1) }),
      };
      units.push({ table, part: { index, count, range } });
    }
  }
  return units;
}

/** The column a table can be split by: its primary key, when that is one integer column. */
function splitKey(table: TablePlan): string | undefined {
  const { primaryKey, columns } = table.source;
  if (table.skip || primaryKey.length !== 1) return undefined;
  return columns.find((c) => c.name === primaryKey[0])?.category === 'integer' ? primaryKey[0] : undefined;
}
