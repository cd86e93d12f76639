import type { ColumnRule, Rules } from '../config/rules.ts';
import type { ColumnInfo, TableInfo } from '../dialects/schema.ts';
import type { ColumnGroup } from '../transformers/column-group.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { buildColumnTransform, type BuildProblems } from './column-transform.ts';
import type { PreparedRules } from './prepare-transformers.ts';

/**
 * A rule with `when: "<SQL condition>"` applies where the condition holds; elsewhere its
 * `otherwise:` rule applies, by default `null` — so a `keep` that is conditional never lets
 * through the rows the condition excludes. The source database evaluates the condition, in the
 * same snapshot, as one more value read after the columns; its dialect's `readsTrue` tells whether
 * it holds.
 */
export interface ColumnCondition {
  /** The SQL condition, as written in the rules. */
  sql: string;
  /**
   * Where the condition holds: the rule's own transform (undefined: keep). Not named `then`: that
   * would make the object a thenable.
   */
  transform?: Transform;
  /** Where it does not: the `otherwise` transform (undefined: keep). */
  otherwise?: Transform;
  /** Columns whose masked values either side reads (see BuiltTransform). */
  dependsOn: number[];
  /** Either side reads other columns of its row. */
  readsRow: boolean;
}

/** Builds both sides of a `when:` rule, each with what its transformer prepared. */
export function buildConditional(
  rule: ColumnRule,
  when: string,
  table: TableInfo,
  column: ColumnInfo,
  rules: Rules,
  problems: BuildProblems,
  prepared: PreparedRules | undefined,
  group?: ColumnGroup,
): ColumnCondition {
  const own = buildColumnTransform(rule, table, column, rules, problems, prepared?.get(rule), group);
  // The rules always spell `otherwise` out under `when`; NULL is its default.
  const otherwise = rule.otherwise ?? { transform: 'null', params: {} };
  const fallback = buildColumnTransform(
    { ...otherwise, column: rule.column, place: rule.place },
    table,
    column,
    rules,
    problems,
    prepared?.get(otherwise),
  );
  return {
    sql: when,
    ...(own && { transform: own.transform }),
    ...(fallback && { otherwise: fallback.transform }),
    dependsOn: [...new Set([...(own?.dependsOn ?? []), ...(fallback?.dependsOn ?? [])])],
    readsRow: !!(own?.readsRow || fallback?.readsRow),
  };
}
