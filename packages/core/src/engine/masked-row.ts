import type { Dialect, Row } from '../dialects/dialect.ts';
import { formatPlace, RuntimeError } from '../errors.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import type { ColumnPlan, TablePlan } from './plan.ts';

/** A failed transform as the run reports it: the place and the reason, never the value (it is personal data). */
export function maskingError(plan: TablePlan, column: ColumnPlan, error: unknown): RuntimeError {
  const rule = column.rule ? ` (rule at ${formatPlace(column.rule.place)})` : '';
  return new RuntimeError(`${plan.source.name}.${column.name}${rule}: ${(error as Error).message}`);
}

/**
 * Masks some columns of a source row into `masked`, in the order given (dependencies first, see
 * mask-order.ts): each transform gets the row and `masked`, where the columns it reads are
 * already masked. A column no rule changes gets its source value. `masked` is the caller's,
 * reused for every row.
 */
export function maskColumnsInto(
  plan: TablePlan,
  source: Pick<Dialect, 'readsTrue'>,
  indexes: readonly number[],
): (row: Row, masked: Row) => void {
  // Conditions arrive as extra values after the columns, in the order readRequest asked for them.
  const conditionAt: number[] = [];
  let next = plan.columns.length;
  for (const column of plan.columns) conditionAt.push(column.condition ? next++ : -1);
  const steps = indexes.map((index) => ({ index, column: plan.columns[index]!, at: conditionAt[index]! }));
  return (row, masked) => {
    for (const { index, column, at } of steps) {
      const { transform, condition } = column;
      let apply: Transform | undefined = transform;
      if (condition) apply = source.readsTrue(row[at] ?? null) ? condition.transform : condition.otherwise;
      try {
        masked[index] = apply ? apply(row[index]!, row, masked) : row[index]!;
      } catch (error) {
        throw maskingError(plan, column, error);
      }
    }
  };
}
