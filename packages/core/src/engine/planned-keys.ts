import type { DatabaseSchema, ForeignKey } from '../dialects/schema.ts';

/**
 * The foreign keys (declared, and the rules' `relations:`) between two tables a plan copies, each
 * once: a partition's keys count for the table its rows are copied through (PostgreSQL may declare
 * a partitioned table's keys on every partition, as Pagila does for `payment`). What a subset
 * follows from row to row.
 */
export function plannedKeys(
  planned: ReadonlySet<string>,
  source: DatabaseSchema,
  rootOf: (name: string) => string,
): ForeignKey[] {
  const keys = new Map<string, ForeignKey>();
  for (const table of source.tables) {
    for (const fk of table.foreignKeys) {
      const key = { ...fk, table: rootOf(table.name), referencedTable: rootOf(fk.referencedTable) };
      if (!planned.has(key.table) || !planned.has(key.referencedTable)) continue;
      const id = JSON.stringify([key.table, key.columns, key.referencedTable, key.referencedColumns]);
      if (!keys.has(id)) keys.set(id, key);
    }
  }
  return [...keys.values()];
}
