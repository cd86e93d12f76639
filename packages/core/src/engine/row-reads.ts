import { formatPlace, type Problem } from '../errors.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { maskOrder } from './mask-order.ts';
import type { ColumnPlan, TablePlan } from './plan.ts';

/** What a table's rules read of their rows (`{{masked.…}}`, `{{row.…}}`, `by:`, groups), checked once per plan. */

/** Records what a column's transform reads of its row, when it reads anything. */
export function setReads(column: ColumnPlan, built: { dependsOn: number[]; readsRow: boolean }): void {
  if (built.dependsOn.length) column.dependsOn = built.dependsOn;
  if (built.readsRow) column.readsRow = true;
}

/**
 * Sets the table's mask order when a transform reads masked values; a cycle is a config error
 * naming its columns, at the first one's rule.
 */
export function orderColumns(plan: TablePlan): string | undefined {
  if (!plan.columns.some((c) => c.dependsOn?.length)) return undefined;
  const result = maskOrder(plan.columns.map((c) => ({ ...c, masked: !!(c.transform || c.condition) })));
  if ('order' in result) {
    plan.maskOrder = result.order;
    return undefined;
  }
  const names = result.cycle.map((i) => plan.columns[i]!.name);
  const first = plan.columns[result.cycle[0]!]!;
  const what =
    names.length === 2
      ? `${names[0]} reads its own masked value`
      : `${names.join(' → ')} read each other's masked values in a cycle`;
  return `${formatPlace(first.rule?.place)}: ${plan.source.name}: ${what}`;
}

/**
 * A foreign key takes its key's transform and calls it with the child's row, whose columns are
 * not the parent's: a key whose rule reads other columns of its row cannot be followed.
 */
export function rowReadingKeys(plans: TablePlan[], propagated: Set<ColumnPlan>): Problem[] {
  const owners = new Map<Transform, { table: TablePlan; column: ColumnPlan }>();
  for (const table of plans) {
    for (const column of table.columns) {
      if (column.readsRow && column.transform && !propagated.has(column))
        owners.set(column.transform, { table, column });
    }
  }
  const problems: Problem[] = [];
  for (const table of plans) {
    for (const column of table.columns) {
      const owner = propagated.has(column) && column.transform ? owners.get(column.transform) : undefined;
      if (!owner) continue;
      problems.push({
        severity: 'error',
        subject: `${table.source.name}.${column.name}`,
        message:
          `references ${owner.table.source.name}.${owner.column.name}, whose rule reads other columns of its row ` +
          '(a template, by:, or a group), so its foreign key cannot take the same transform: mask the key from ' +
          'its own value',
        ...(owner.column.rule && { place: owner.column.rule.place }),
      });
    }
  }
  return problems;
}
