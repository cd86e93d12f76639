import type { Batch } from '../dialects/dialect.ts';
import { formatPlace, RuntimeError } from '../errors.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import type { TablePlan } from './plan.ts';

/** The masking step of one table: a pure, synchronous function over a batch (rows changed in place). */
export type BatchMasker = (batch: Batch) => Batch;

export function createBatchMasker(plan: TablePlan): BatchMasker {
  const masked = plan.columns
    .map((column, index) => ({ column, index, transform: column.transform }))
    .filter((c): c is typeof c & { transform: Transform } => c.transform !== undefined);
  if (!masked.length) return (batch) => batch;
  const values = new Array(masked.length);
  return (batch) => {
    for (const row of batch) {
      // Every transform sees the row's source values: compute all, then write them back.
      for (let m = 0; m < masked.length; m++) {
        const { index, transform, column } = masked[m]!;
        try {
          values[m] = transform(row[index]!, row);
        } catch (error) {
          // The message names the place and the reason, never the value (it is personal data).
          const rule = column.rule ? ` (rule at ${formatPlace(column.rule.place)})` : '';
          throw new RuntimeError(`${plan.source.name}.${column.name}${rule}: ${(error as Error).message}`);
        }
      }
      for (let m = 0; m < masked.length; m++) row[masked[m]!.index] = values[m];
    }
    return batch;
  };
}

/** Masks batches as they stream by; pull-based, so the writer's pace sets the reader's. */
export async function* maskBatches(batches: AsyncIterable<Batch>, mask: BatchMasker, onBatch?: (rows: number) => void): AsyncIterable<Batch> {
  for await (const batch of batches) {
    yield mask(batch);
    onBatch?.(batch.length);
  }
}
