import type { DatabaseSchema } from '../dialects/schema.ts';
import type { TablePlan } from './plan.ts';

/**
 * A masked column that is unique only as part of one composite key (not `unique: true`, no key of
 * its own), whose other columns stay as they are and which no foreign key references, is made
 * unique together with them: the key holds as long as the tuple does (see UniqueColumn.uniqueWith).
 */
export function uniqueWithKey(plan: TablePlan, source: DatabaseSchema): void {
  const table = plan.source;
  for (const column of plan.columns) {
    if (!column.unique || column.rule?.unique) continue;
    const keys = [table.primaryKey, ...table.uniqueKeys].filter((key) => key.includes(column.name));
    const key = keys[0];
    if (keys.length !== 1 || !key || key.length < 2) continue;
    const others = key
      .filter((name) => name !== column.name)
      .map((name) => plan.columns.findIndex((c) => c.name === name));
    if (others.some((i) => i < 0 || plan.columns[i]!.transform || plan.columns[i]!.condition)) continue;
    const referenced = source.tables.some((t) =>
      t.foreignKeys.some((fk) => fk.referencedTable === table.name && fk.referencedColumns.includes(column.name)),
    );
    if (!referenced) column.unique.uniqueWith(others);
  }
}
