import type { SnapshotReader } from '../dialects/dialect.ts';
import type { RunListener } from './events.ts';
import { readRequest } from './mask-batch.ts';
import type { Plan } from './plan.ts';

/**
 * Before the load: scans every table with a unique masked column in the source snapshot and
 * plans the repairs that keep masked outputs distinct (see UniqueColumn). Foreign keys that took
 * the key's transform share its repairs, so joins still match.
 */
export async function prepareUniqueColumns(plan: Plan, reader: SnapshotReader, onEvent: RunListener = () => {}): Promise<void> {
  for (const table of plan.tables) {
    if (table.skip) continue;
    const scan = () => reader.read(readRequest(table));
    for (const [index, column] of table.columns.entries()) {
      // A foreign key that took its parent key's transform is repaired through the parent.
      if (!column.unique || column.transform !== column.unique.transform) continue;
      const report = await column.unique.prepare(scan, index);
      onEvent({ type: 'unique', table: table.source.name, column: column.name, ...report });
    }
  }
}
