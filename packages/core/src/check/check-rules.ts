import type { Rules } from '../config/rules.ts';
import type { DatabaseSchema } from '../dialects/schema.ts';
import { draftPlan, type PlanOptions } from '../engine/plan.ts';
import { withRelations } from '../engine/subset/relations.ts';
import type { Problem } from '../errors.ts';
import { keyRuleWarnings } from './key-rule-warnings.ts';
import { personalKeptWarnings } from './personal-kept.ts';
import { withPlaces } from './rule-places.ts';
import { typeFitProblems } from './type-fit.ts';

/** Everything `masque check` found. */
export interface CheckReport {
  /** Config errors, each `file:line:column: message`: exit 2 when any. */
  configErrors: string[];
  /** Errors (exit 1 when any) and warnings, in the order of the rules file; unplaced ones last. */
  problems: Problem[];
  /** Tables and columns the rules were checked against. */
  tables: number;
  columns: number;
}

/**
 * The rules against the two live schemas, every problem at once: what `run` would refuse
 * (unknown tables and columns, unnamed columns under strict, missing target tables or columns,
 * transformers that cannot write the column's type) plus warnings `run` does not stop for: kept
 * columns that look personal, foreign keys whose own rule is overridden by their key's, columns
 * no rule names when not strict (schema drift), and types that differ between the databases.
 */
export function checkRules(
  rules: Rules,
  source: DatabaseSchema,
  target: DatabaseSchema,
  options: PlanOptions = {},
): CheckReport {
  const draft = draftPlan(rules, source, target, options);
  const tables = draft.plan.tables;
  // The keys the plan followed: `relations:` count as declared ones (their problems are the plan's).
  const keyed = withRelations(source, rules.relations).schema;
  const problems = [
    ...draft.problems,
    ...(rules.secret
      ? []
      : [
          {
            severity: 'warning' as const,
            subject: 'secret',
            message: 'no secret: masked values are random and differ between runs',
          },
        ]),
    ...typeFitProblems(tables),
    ...keyRuleWarnings(tables, keyed, draft.propagated),
    ...personalKeptWarnings(tables, source, rules.strict),
  ];
  return {
    configErrors: draft.configErrors,
    problems: inFileOrder(withPlaces(problems, rules, source)),
    tables: tables.length,
    columns: tables.reduce((n, t) => n + t.columns.length, 0),
  };
}

/** Sorted by place, so the report reads alongside the file; stable for problems at one place. */
function inFileOrder(problems: Problem[]): Problem[] {
  const key = (p: Problem) => (p.place ? p.place.line * 10_000 + p.place.column : Number.MAX_SAFE_INTEGER);
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => key(a.p) - key(b.p) || a.i - b.i)
    .map(({ p }) => p);
}
