import type { TableInfo } from '../dialects/schema.ts';

/**
 * Tables ordered parents first, by their foreign keys, so a target that checks keys row by row
 * accepts the load. Cycles (store ↔ staff) and self-references cannot be ordered: their back
 * edges are ignored here, and the dialects defer key checks to the end of the load instead.
 * `rootOf` maps a partition to the table its rows are copied through.
 */
export function loadOrder(tables: TableInfo[], rootOf: (name: string) => string): TableInfo[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const parents = new Map<string, Set<string>>();
  for (const table of tables) {
    const child = rootOf(table.name);
    for (const fk of table.foreignKeys) {
      const parent = rootOf(fk.referencedTable);
      if (parent !== child && byName.has(parent))
        (parents.get(child) ?? parents.set(child, new Set()).get(child)!).add(parent);
    }
  }
  const ordered: TableInfo[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string): void => {
    if (state.has(name)) return; // done, or a cycle's back edge
    state.set(name, 'visiting');
    for (const parent of parents.get(name) ?? []) visit(parent);
    state.set(name, 'done');
    const table = byName.get(name);
    if (table) ordered.push(table);
  };
  for (const table of tables) visit(table.name);
  return ordered;
}
