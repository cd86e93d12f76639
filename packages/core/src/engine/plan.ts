import type { ColumnRule, Rules, TableRule } from '../config/rules.ts';
import type { DatabaseSchema, ForeignKey, TableInfo } from '../dialects/schema.ts';
import { findTable } from '../dialects/schema.ts';
import { didYouMean } from '../did-you-mean.ts';
import { CheckError, ConfigError, formatPlace, type Problem } from '../errors.ts';
import { formatName } from '../names.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { buildColumnTransform, type BuildProblems } from './column-transform.ts';
import { checkTargetTable } from './compare-target.ts';
import { propagateKeyTransforms } from './key-propagation.ts';
import type { PreparedRules } from './prepare-transformers.ts';
import { loadOrder } from './load-order.ts';
import { buildConditional, type ColumnCondition } from './conditional-rule.ts';
import { matchesTable, suggestTable } from './table-match.ts';
import { UniqueColumn } from './unique-column.ts';
import { tableGroups } from './column-groups.ts';
import { uniqueWithKey } from './composite-unique.ts';
import { orderColumns, rowReadingKeys, setReads } from './row-reads.ts';
import { plannedKeys } from './planned-keys.ts';
import { withRelations } from './subset/relations.ts';
import { subsetGraph } from './subset/subset-graph.ts';

export interface ColumnPlan {
  name: string;
  /** Undefined: the value is copied unchanged. */
  transform?: Transform;
  /** The rule behind the transform, for messages. */
  rule?: ColumnRule;
  /** Set when distinct inputs must give distinct outputs (`unique: true`, primary and unique keys). */
  unique?: UniqueColumn;
  /** A `when:` rule: which transform applies depends on a condition the source evaluates. */
  condition?: ColumnCondition;
  /** Indexes of the columns whose masked values the transform reads (`{{masked.…}}`). */
  dependsOn?: number[];
  /** The transform reads other columns of its row (a template, `by:`, a group). */
  readsRow?: boolean;
}

export interface TablePlan {
  source: TableInfo;
  target: TableInfo;
  /** `skip`: no rows are copied, the target table is emptied. */
  skip: boolean;
  where?: string;
  /** Columns read and written, in order (generated columns are left out). */
  columns: ColumnPlan[];
  /**
   * Set when some transform reads other columns' masked values: the indexes of the columns to
   * mask, each after those it reads (mask-order.ts). Unset, every column is masked from the source row.
   */
  maskOrder?: number[];
  /** Set in a subset run (engine/subset/compute-subset.ts): the table's rows in the source. */
  subset?: { sourceRows?: number; estimated?: boolean };
}

export interface Plan {
  /** Tables in load order, parents first. */
  tables: TablePlan[];
  /** Every target table the load touches: the planned tables and their partitions. */
  loadTables: TableInfo[];
  /** Foreign keys between planned tables, `relations:` included, partitions' counted for their table. */
  keys: ForeignKey[];
  warnings: Problem[];
}

export interface PlanOptions {
  /** Restrict the run to these tables (names as the rules would write them). */
  only?: string[];
  /** What transformers loaded ahead of time (`await prepareTransformers(rules)`); needed by `custom`. */
  prepared?: PreparedRules;
}

/** The names of the columns a table's rules mask, always or under a `when:` rule. */
export function maskedColumnNames(table: TablePlan): string[] {
  return table.columns.filter((c) => c.transform || c.condition).map((c) => c.name);
}

/**
 * Rules + the two live schemas → what to copy and how, or every problem at once: config errors
 * (unknown transformer, bad parameter) throw ConfigError, schema problems CheckError.
 */
export function planRun(rules: Rules, source: DatabaseSchema, target: DatabaseSchema, options: PlanOptions = {}): Plan {
  const { plan, configErrors, problems } = draftPlan(rules, source, target, options);
  if (configErrors.length) throw new ConfigError(configErrors.join('\n'));
  if (problems.some((p) => p.severity === 'error')) throw new CheckError(problems);
  return plan;
}

/** `planRun`'s findings without throwing, so `masque check` can add its own and report all at once. */
export interface PlanDraft {
  /** The plan as far as it could be built. */
  plan: Plan;
  /** Config errors, each `file:line:column: message` (exit 2). */
  configErrors: string[];
  /** Schema errors (exit 1) and warnings. */
  problems: Problem[];
  /** Foreign-key columns that took their key's transform. */
  propagated: Set<ColumnPlan>;
}

/** `planRun` without throwing: the plan as far as it goes, and every problem found. */
export function draftPlan(
  rules: Rules,
  declared: DatabaseSchema,
  target: DatabaseSchema,
  options: PlanOptions = {},
): PlanDraft {
  const problems: BuildProblems = { config: [], schema: [] };
  // `relations:` count wherever a declared key does: from here on they are keys of the source.
  const { schema: source, problems: relationProblems } = withRelations(declared, rules.relations);
  problems.schema.push(...relationProblems);
  const error = (subject: string, message: string, rule?: { place: Problem['place'] }): void =>
    void problems.schema.push({ severity: 'error', subject, message, ...(rule?.place && { place: rule.place }) });
  const warn = (subject: string, message: string): void =>
    void problems.schema.push({ severity: 'warning', subject, message });

  const rootOf = (name: string): string => findTable(source, name)?.partitionOf ?? name;
  for (const rule of rules.tables) {
    if (!source.tables.some((t) => matchesTable(rule.pattern, t))) {
      error(rule.pattern, `no such table in the source${suggestTable(rule.pattern, source.tables)}`, rule);
    }
  }
  const ruleFor = (table: TableInfo): TableRule | undefined =>
    rules.tables.find((r) => matchesTable(r.pattern, table)) ??
    rules.tables.find((r) => source.tables.some((p) => p.partitionOf === table.name && matchesTable(r.pattern, p)));

  const selected = source.tables.filter(
    (t) => !t.partitionOf && (!options.only || options.only.some((o) => matchesTable(o, t))),
  );
  const plans: TablePlan[] = [];
  for (const table of loadOrder(selected, rootOf, source.tables)) {
    const rule = ruleFor(table);
    if (!rule)
      (rules.strict ? error : warn)(
        table.name,
        rules.strict ? 'no rule names this table (strict)' : 'no rule: copied unchanged',
      );
    const targetTable = findTable(target, table.name);
    if (!targetTable) {
      error(table.name, 'table missing in the target');
      continue;
    }
    for (const problem of checkTargetTable(table, targetTable)) problems.schema.push(problem);
    const readable = table.columns.filter((c) => !c.generated);
    const plan: TablePlan = {
      source: table,
      target: targetTable,
      skip: rule?.skip ?? false,
      columns: readable.map((c) => ({ name: c.name })),
    };
    if (rule?.where) plan.where = rule.where;
    plans.push(plan);
    if (!rule || plan.skip) continue;
    for (const columnRule of rule.columns) {
      const column = table.columns.find((c) => c.name === columnRule.column);
      if (!column) {
        const hint = didYouMean(
          columnRule.column,
          table.columns.map((c) => c.name),
          (c) => formatName([c]),
        );
        error(`${table.name}.${columnRule.column}`, `no such column${hint}`, columnRule);
      } else if (column.generated)
        warn(`${table.name}.${column.name}`, 'generated column: computed by the target, the rule is ignored');
    }
    const groups = tableGroups(
      rule,
      plan.columns.map((c) => c.name),
      rules,
    );
    for (const columnPlan of plan.columns) {
      const columnRule = rule.columns.find((r) => r.column === columnPlan.name);
      if (!columnRule) continue;
      columnPlan.rule = columnRule;
      const column = table.columns.find((c) => c.name === columnPlan.name)!;
      const group = columnRule.group === undefined ? undefined : groups.get(columnRule.group);
      const prepared = options.prepared;
      if (columnRule.when !== undefined) {
        const when = columnRule.when;
        const condition = buildConditional(columnRule, when, table, column, rules, problems, prepared, group);
        columnPlan.condition = condition;
        setReads(columnPlan, condition);
        continue;
      }
      const built = buildColumnTransform(columnRule, table, column, rules, problems, prepared?.get(columnRule), group);
      if (!built) continue;
      columnPlan.transform = built.transform;
      setReads(columnPlan, built);
      if (columnRule.unique ?? isKeyColumn(table, columnPlan.name)) {
        columnPlan.unique = new UniqueColumn(
          built.transform,
          built.variant,
          `${table.name}.${columnPlan.name} (rule at ${formatPlace(columnRule.place)})`,
        );
        columnPlan.transform = columnPlan.unique.transform;
      }
    }
  }
  const propagated = propagateKeyTransforms(plans, source, rootOf);
  for (const problem of rowReadingKeys(plans, propagated)) problems.schema.push(problem);
  for (const plan of plans) uniqueWithKey(plan, source);
  for (const plan of plans) {
    const cycle = orderColumns(plan);
    if (cycle) problems.config.push(cycle);
  }
  for (const plan of plans) {
    if (plan.skip || !ruleFor(plan.source)) continue;
    for (const column of plan.columns) {
      if (column.rule || propagated.has(column)) continue;
      const subject = `${plan.source.name}.${column.name}`;
      if (rules.strict) error(subject, 'no rule names this column (strict)', ruleFor(plan.source));
      else warn(subject, 'no rule: copied unchanged');
    }
  }
  const loadTables = plans.flatMap((p) => [p.target, ...target.tables.filter((t) => t.partitionOf === p.target.name)]);
  const keys = plannedKeys(new Set(plans.map((p) => p.source.name)), source, rootOf);
  if (rules.subset) problems.schema.push(...subsetGraph(plans, keys, rules.subset).problems);
  const plan = { tables: plans, loadTables, keys, warnings: problems.schema };
  return { plan, configErrors: problems.config, problems: problems.schema, propagated };
}

/** Primary-key and unique-key columns must stay unique once masked, or the load would fail. */
function isKeyColumn(table: TableInfo, column: string): boolean {
  return table.primaryKey.includes(column) || table.uniqueKeys.some((key) => key.includes(column));
}
