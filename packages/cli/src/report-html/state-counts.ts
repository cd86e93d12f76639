import { COLUMN_STATES, type ColumnState } from './column-states.ts';
import type { ReviewModel, ReviewTable } from './review-model.ts';
import { SCAN_SIGNAL_KINDS } from './scan-signals.ts';

/** Columns per state id, every state present (0 when none). */
export function stateCounts(tables: readonly ReviewTable[]): Map<string, number> {
  const counts = new Map(COLUMN_STATES.map((s) => [s.id, 0]));
  for (const table of tables) for (const c of table.columns) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return counts;
}

/** Whether scan can tell a column is in this state at all today (see SCAN_SIGNAL_KINDS). */
export const detected = (state: ColumnState): boolean => !state.signal || SCAN_SIGNAL_KINDS.has(state.signal);

/** The columns a reviewer must look at: every column in a state of concern, in table order. */
export function concerns(model: ReviewModel) {
  const ids = new Set(COLUMN_STATES.filter((s) => s.concern).map((s) => s.id));
  return model.tables.flatMap((table) =>
    table.columns.filter((c) => ids.has(c.state)).map((column) => ({ table, column })),
  );
}
