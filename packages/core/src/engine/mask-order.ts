/** What the order needs to know of a column: which columns' masked values it reads, and whether it is masked. */
export interface OrderedColumn {
  /** Indexes of the columns whose masked values this one reads. */
  dependsOn?: readonly number[];
  /** True when a rule changes the column (a transform, or a `when:` rule). */
  masked: boolean;
}

/**
 * The order in which to mask a table's columns when some read the masked values of others
 * (`{{masked.COLUMN}}`): each column after every column it reads. It lists the masked columns and
 * the kept columns that are read (whose masked value is their source value), found by a
 * depth-first walk, once per table. A cycle has no order: its columns are returned instead, the
 * first one repeated at the end (`[email, first_name, email]`).
 */
export function maskOrder(columns: readonly OrderedColumn[]): { order: number[] } | { cycle: number[] } {
  const done = new Uint8Array(columns.length);
  const path: number[] = [];
  const order: number[] = [];
  const visit = (index: number): number[] | undefined => {
    if (done[index]) return undefined;
    const at = path.indexOf(index);
    if (at >= 0) return [...path.slice(at), index];
    path.push(index);
    for (const dependency of columns[index]!.dependsOn ?? []) {
      const cycle = visit(dependency);
      if (cycle) return cycle;
    }
    path.pop();
    done[index] = 1;
    order.push(index);
    return undefined;
  };
  for (const [index, column] of columns.entries()) {
    if (!column.masked && !column.dependsOn?.length) continue;
    const cycle = visit(index);
    if (cycle) return { cycle };
  }
  return { order };
}

/** The columns `index` reads, directly or through others, in `order` (which lists them first). */
export function dependenciesOf(columns: readonly OrderedColumn[], index: number, order: readonly number[]): number[] {
  const needed = new Set<number>();
  const walk = (i: number): void => {
    for (const dependency of columns[i]!.dependsOn ?? []) {
      if (needed.has(dependency)) continue;
      needed.add(dependency);
      walk(dependency);
    }
  };
  walk(index);
  return order.filter((i) => needed.has(i));
}
