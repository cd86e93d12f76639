import type { ColumnRule, Rules } from '../config/rules.ts';
import type { ColumnInfo, TableInfo } from '../dialects/schema.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { buildColumnTransform, type BuildProblems } from './column-transform.ts';

/**
 * A rule with `when: "<SQL condition>"` applies where the condition holds; elsewhere its
 * `otherwise:` rule applies, by default `null` — so a `keep` that is conditional never lets
 * through the rows the condition excludes. The source database evaluates the condition, in the
 * same snapshot, as one more value read after the columns.
 */
export interface ColumnCondition {
  /** The SQL condition, as written in the rules. */
  sql: string;
  /** Where the condition holds: the rule's own transform (undefined: keep). */
  then?: Transform;
  /** Where it does not: the `otherwise` transform (undefined: keep). */
  otherwise?: Transform;
}

/** Splits `otherwise` off a rule's parameters and builds both sides. */
export function buildConditional(
  rule: ColumnRule & { when: string },
  table: TableInfo,
  column: ColumnInfo,
  rules: Rules,
  problems: BuildProblems,
): ColumnCondition {
  const { otherwise = null, ...params } = rule.params;
  const own = buildColumnTransform({ ...rule, params }, table, column, rules, problems);
  const fallback = buildColumnTransform(otherwiseRule(otherwise, rule), table, column, rules, problems);
  return { sql: rule.when, ...(own && { then: own.transform }), ...(fallback && { otherwise: fallback.transform }) };
}

/** `otherwise:` is written like any column rule: null, a transformer name, or `{ transform, … }`. */
function otherwiseRule(written: unknown, rule: ColumnRule): ColumnRule {
  const base = { column: rule.column, place: rule.place, ...(rule.consistent && { consistent: rule.consistent }) };
  if (written === null) return { ...base, transform: 'null', params: {} };
  if (typeof written === 'string') return { ...base, transform: written, params: {} };
  const { transform, ...params } = written as { transform?: unknown };
  return { ...base, transform: String(transform), params };
}

/** SQL booleans as the engines send them: PostgreSQL `t`, MySQL `1`, SQLite 1. NULL is false. */
export function conditionHolds(value: unknown): boolean {
  return value === 't' || value === '1' || value === 1 || value === 1n || value === true;
}
