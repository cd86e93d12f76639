import type { Batch, Dialect, ReadRequest, Row } from '../dialects/dialect.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { batchBytes } from './batch-bytes.ts';
import { maskColumnsInto, maskingError } from './masked-row.ts';
import type { TablePlan } from './plan.ts';

/** The masking step of one table: a pure, synchronous function over a batch (rows changed in place). */
export type BatchMasker = (batch: Batch) => Batch;

/** `source`, the database the rows are read from, tells how its reader spells a `when:` condition that holds. */
export function createBatchMasker(plan: TablePlan, source: Pick<Dialect, 'readsTrue'>): BatchMasker {
  if (plan.maskOrder) return orderedMasker(plan, source, plan.maskOrder);
  const width = plan.columns.length;
  // Conditions arrive as extra values after the columns, in the order readRequest asked for them.
  let conditionIndex = width;
  const masked = plan.columns
    .map((column, index) => {
      const { transform, condition } = column;
      return { column, index, transform, condition, at: condition ? conditionIndex++ : -1 };
    })
    .filter((c) => c.transform !== undefined || c.condition !== undefined);
  if (!masked.length) return (batch) => batch;
  const values = new Array(masked.length);
  return (batch) => {
    for (const row of batch) {
      // Every transform sees the row's source values: compute all, then write them back.
      for (let m = 0; m < masked.length; m++) {
        const { index, transform, condition, at, column } = masked[m]!;
        let apply: Transform | undefined = transform;
        if (condition) apply = source.readsTrue(row[at] ?? null) ? condition.transform : condition.otherwise;
        try {
          values[m] = apply ? apply(row[index]!, row) : row[index];
        } catch (error) {
          throw maskingError(plan, column, error);
        }
      }
      for (let m = 0; m < masked.length; m++) row[masked[m]!.index] = values[m];
      if (row.length > width) row.length = width;
    }
    return batch;
  };
}

/**
 * A table where some transforms read other columns' masked values (`{{masked.…}}`): columns are
 * masked in `order` into one array reused for every row, which those transforms read, then the
 * masked ones are written back. Tables without such rules keep the loop above.
 */
function orderedMasker(plan: TablePlan, source: Pick<Dialect, 'readsTrue'>, order: number[]): BatchMasker {
  const width = plan.columns.length;
  const maskInto = maskColumnsInto(plan, source, order);
  const written = order.filter((i) => plan.columns[i]!.transform || plan.columns[i]!.condition);
  const masked: Row = new Array(width).fill(null);
  return (batch) => {
    for (const row of batch) {
      maskInto(row, masked);
      for (const index of written) row[index] = masked[index]!;
      if (row.length > width) row.length = width;
    }
    return batch;
  };
}

/** What to read for a table: its columns, its row filter and the conditions of its `when:` rules. */
export function readRequest(plan: TablePlan): ReadRequest {
  const conditions = plan.columns.flatMap((c) => (c.condition ? [c.condition.sql] : []));
  return {
    table: plan.source,
    columns: plan.columns.map((c) => c.name),
    ...(plan.where && { where: plan.where }),
    ...(conditions.length && { conditions }),
  };
}

/**
 * Masks batches as they stream by; pull-based, so the writer's pace sets the reader's. `onBatch`
 * hears of each batch once the writer has taken it, with its rows and masked size (batchBytes).
 */
export async function* maskBatches(
  batches: AsyncIterable<Batch>,
  mask: BatchMasker,
  onBatch?: (rows: number, bytes: number) => void,
): AsyncIterable<Batch> {
  for await (const batch of batches) {
    const masked = mask(batch);
    // Measured before the writer takes the batch: a writer may reuse or consume its rows.
    const bytes = onBatch ? batchBytes(masked) : 0;
    yield masked;
    onBatch?.(batch.length, bytes);
  }
}
