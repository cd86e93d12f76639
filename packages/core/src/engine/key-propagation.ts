import type { DatabaseSchema } from '../dialects/schema.ts';
import type { ColumnPlan, TablePlan } from './plan.ts';

/**
 * A foreign-key column that references a masked key gets the key's own transform, whatever its
 * rule says, so joins still match in the target. Repeats until nothing changes, so chains
 * (C → B → A) follow. Returns the columns that got a transform this way.
 */
export function propagateKeyTransforms(
  plans: TablePlan[],
  source: DatabaseSchema,
  rootOf: (name: string) => string,
): Set<ColumnPlan> {
  const byName = new Map(plans.map((p) => [p.source.name, p]));
  const propagated = new Set<ColumnPlan>();
  // Foreign keys of a partitioned table are declared on its partitions: count them for the root.
  const foreignKeys = source.tables.flatMap((t) =>
    t.foreignKeys.map((fk) => ({ ...fk, table: rootOf(t.name), referencedTable: rootOf(fk.referencedTable) })),
  );
  for (let changed = true; changed; ) {
    changed = false;
    for (const fk of foreignKeys) {
      const child = byName.get(fk.table);
      const parent = byName.get(fk.referencedTable);
      if (!child || !parent) continue;
      fk.columns.forEach((name, i) => {
        const key = parent.columns.find((c) => c.name === fk.referencedColumns[i]);
        const column = child.columns.find((c) => c.name === name);
        if (!key?.transform || !column || column.transform === key.transform) return;
        column.transform = key.transform;
        propagated.add(column);
        changed = true;
      });
    }
  }
  return propagated;
}
