import type { Dialect, SnapshotReader } from '../dialects/dialect.ts';
import { createBatchMasker, readRequest } from '../engine/mask-batch.ts';
import type { TablePlan } from '../engine/plan.ts';
import { valueKey } from './reservoir.ts';
import type { Hits } from './target-scan.ts';

/**
 * A target value equal to a source value is a leak only if masking did not produce it: a fake
 * city or first name can be some other row's real one by chance, and a masked value can land on
 * another row's original. So the source table is masked once more, exactly as `run` did it (same
 * secret, same rules), and every suspicious value that masking produces is dropped from `hits`.
 * Runs only for tables with suspicious values, which are rare. Needs the run's secret: without
 * one the outputs are random and nothing can be explained. `reader` reads the snapshot of `source`.
 */
export async function dropExplained(
  source: Pick<Dialect, 'readsTrue'>,
  reader: SnapshotReader,
  plan: TablePlan,
  watch: { column: string; hits: Hits }[],
): Promise<void> {
  // Only masked columns can be explained by masking; a kept column's value is the source's own.
  const masked = (column: string) => plan.columns.findIndex((c) => c.name === column && (c.transform || c.condition));
  const watched = watch
    .map(({ column, hits }) => ({ index: masked(column), hits }))
    .filter((w) => w.index >= 0 && w.hits.size);
  if (!watched.length) return;
  const mask = createBatchMasker(plan, source);
  for await (const batch of reader.read(readRequest(plan))) {
    for (const row of mask(batch)) {
      for (const { index, hits } of watched) {
        const value = row[index];
        if (value !== null && value !== undefined) hits.delete(valueKey(value));
      }
    }
  }
}
