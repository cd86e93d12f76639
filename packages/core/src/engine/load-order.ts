import type { TableInfo } from '../dialects/schema.ts';

/**
 * Tables ordered parents first, by their foreign keys, so a target that checks keys row by row
 * accepts the load (and, reversed, its DELETEs: children first). Cycles (store ↔ staff) and
 * self-references cannot be ordered: their back edges are ignored here, and the dialects defer key
 * checks to the end of the load instead. `rootOf` maps a partition to the table its rows are
 * copied through: a partition's keys order its root, and a partition given in `tables` stays right
 * after its root. `related` lends keys without being ordered: the partitions of `tables` when only
 * the roots are given (PostgreSQL may declare a partitioned table's keys on each partition only,
 * as Pagila does for `payment`, and its rows must still wait for the parents of those keys).
 */
export function loadOrder(
  tables: TableInfo[],
  rootOf: (name: string) => string,
  related: TableInfo[] = [],
): TableInfo[] {
  // Each root with the tables given under it (itself, its partitions), in the order given.
  const groups = new Map<string, TableInfo[]>();
  for (const table of tables) {
    const root = rootOf(table.name);
    (groups.get(root) ?? groups.set(root, []).get(root)!).push(table);
  }
  const parents = new Map<string, Set<string>>();
  for (const table of [...tables, ...related]) {
    const child = rootOf(table.name);
    if (!groups.has(child)) continue;
    for (const fk of table.foreignKeys) {
      const parent = rootOf(fk.referencedTable);
      if (parent !== child && groups.has(parent))
        (parents.get(child) ?? parents.set(child, new Set()).get(child)!).add(parent);
    }
  }
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (root: string): void => {
    if (state.has(root)) return; // done, or a cycle's back edge
    state.set(root, 'visiting');
    for (const parent of parents.get(root) ?? []) visit(parent);
    state.set(root, 'done');
    ordered.push(...groups.get(root)!);
  };
  for (const root of groups.keys()) visit(root);
  return ordered;
}
