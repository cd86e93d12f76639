import type { ColumnRule } from '../config/rules.ts';
import type { DatabaseSchema } from '../dialects/schema.ts';
import type { ColumnPlan, TablePlan } from '../engine/plan.ts';
import type { Problem } from '../errors.ts';

/** Two rules that build the same transform: same transformer, parameters and domain. */
function sameRule(a: ColumnRule, b: ColumnRule): boolean {
  return (
    a.transform === b.transform &&
    (a.consistent ?? a.transform) === (b.consistent ?? b.transform) &&
    JSON.stringify(a.params) === JSON.stringify(b.params)
  );
}

const describe = (rule: ColumnRule): string =>
  Object.keys(rule.params).length ? `${rule.transform} ${JSON.stringify(rule.params)}` : rule.transform;

/**
 * A foreign key that references a masked key is masked like the key, whatever its own rule says
 * (so joins hold). When its own rule says something else, the rules file misleads its reader:
 * warn, naming the key whose rule wins.
 */
export function keyRuleWarnings(
  plans: readonly TablePlan[],
  source: DatabaseSchema,
  propagated: ReadonlySet<ColumnPlan>,
): Problem[] {
  const rootOf = (name: string): string => source.tables.find((t) => t.name === name)?.partitionOf ?? name;
  const planOf = new Map(plans.map((p) => [p.source.name, p]));
  /** The column whose own rule built `column`'s transform: up the chain of foreign keys. */
  const origin = (
    table: string,
    column: ColumnPlan,
    seen = new Set<ColumnPlan>(),
  ): { table: string; column: ColumnPlan } | undefined => {
    if (!propagated.has(column)) return { table, column };
    if (seen.has(column)) return undefined;
    seen.add(column);
    for (const t of source.tables.filter((s) => rootOf(s.name) === table)) {
      for (const fk of t.foreignKeys) {
        const i = fk.columns.indexOf(column.name);
        const parent = planOf.get(rootOf(fk.referencedTable));
        const key = i < 0 ? undefined : parent?.columns.find((c) => c.name === fk.referencedColumns[i]);
        if (parent && key && key.transform === column.transform) return origin(parent.source.name, key, seen);
      }
    }
    return undefined;
  };
  const problems: Problem[] = [];
  for (const plan of plans) {
    for (const column of plan.columns) {
      if (!propagated.has(column) || !column.rule) continue;
      const from = origin(plan.source.name, column);
      if (!from?.column.rule || sameRule(column.rule, from.column.rule)) continue;
      const keyRule = `that key's rule (${describe(from.column.rule)}), not its own (${describe(column.rule)})`;
      problems.push({
        severity: 'warning',
        subject: `${plan.source.name}.${column.name}`,
        place: column.rule.place,
        message: `references the masked key ${from.table}.${from.column.name}, so it is masked with ${keyRule}`,
      });
    }
  }
  return problems;
}
