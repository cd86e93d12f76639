import type { Plan } from '../engine/plan.ts';

/**
 * Transformers that move a value a little rather than replace it: a shifted date or a noisy
 * amount lands on another row's original value all the time, so "a source value appears in the
 * target" says nothing about them.
 */
const PERTURBING = new Set(['dateShift', 'noise']);

export interface LeakColumn {
  /** Index in the plan's columns (and so in rows read with them). */
  index: number;
  name: string;
}

export interface LeakColumns {
  /** Per table (source name): the masked columns whose source values must not reach the target. */
  checked: Map<string, LeakColumn[]>;
  /** `table.column` → why it is masked but not leak-checked. */
  unchecked: { subject: string; reason: string }[];
}

/** Which masked columns the leak check covers. */
export function leakColumns(plan: Plan): LeakColumns {
  const checked = new Map<string, LeakColumn[]>();
  const unchecked: LeakColumns['unchecked'] = [];
  for (const table of plan.tables) {
    if (table.skip) continue;
    const columns: LeakColumn[] = [];
    table.columns.forEach((column, index) => {
      if (!column.transform && !column.condition) return;
      const transform = column.rule?.transform;
      if (transform && PERTURBING.has(transform))
        unchecked.push({
          subject: `${table.source.name}.${column.name}`,
          reason: `${transform} moves values, it does not replace them`,
        });
      else columns.push({ index, name: column.name });
    });
    if (columns.length) checked.set(table.source.name, columns);
  }
  return { checked, unchecked };
}
