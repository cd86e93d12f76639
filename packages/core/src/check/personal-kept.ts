import type { DatabaseSchema } from '../dialects/schema.ts';
import type { TablePlan } from '../engine/plan.ts';
import type { Problem } from '../errors.ts';
import { KIND_LABELS } from '../scan/personal-kinds.ts';
import { kindInContext, tableContexts } from '../scan/table-context.ts';

/** Types whose every value is a network address of some device, hence of some person. */
const ADDRESS_TYPES = /^(inet|cidr|macaddr8?)\b/i;

/**
 * Warnings for columns copied unchanged that look personal, by their name in context (`email`,
 * `first_name`, a customer's `city`) or their type (`inet`). Names only: `check` reads no rows.
 */
export function personalKeptWarnings(plans: readonly TablePlan[], source: DatabaseSchema, strict: boolean): Problem[] {
  const contexts = tableContexts(source);
  const problems: Problem[] = [];
  for (const plan of plans) {
    if (plan.skip) continue;
    for (const column of plan.columns) {
      // A rule that names a transformer but failed to build is reported already; it is not `keep`.
      // A `when:` rule is a decision about which rows keep their values.
      if (column.transform || column.condition || (column.rule && column.rule.transform !== 'keep')) continue;
      // Unnamed under strict is an error already, which says enough.
      if (!column.rule && strict) continue;
      const info = plan.source.columns.find((c) => c.name === column.name)!;
      const kind = kindInContext(plan.source, column.name, contexts.get(plan.source.name));
      const looks = kind
        ? `its name suggests ${KIND_LABELS[kind]}`
        : ADDRESS_TYPES.test(info.dataType)
          ? `its type ${info.dataType} holds network addresses`
          : undefined;
      if (!looks) continue;
      const kept = column.rule ? 'kept' : 'copied unchanged (no rule)';
      problems.push({
        severity: 'warning',
        subject: `${plan.source.name}.${column.name}`,
        message: `${kept}, but ${looks}`,
      });
    }
  }
  return problems;
}
