import {
  commentKey,
  draftPlan,
  matchesTable,
  type ColumnPlan,
  type DatabaseSchema,
  type Problem,
  type RuleComments,
  type Rules,
  type ScanResult,
  type TableInfo,
  type TablePlan,
  type VerifyReport,
} from '@masque/core';
import type { RunReport } from '../report/run-report.ts';
import { changesSince } from './changes.ts';
import { stateOf } from './column-states.ts';
import type { ColumnVerification, ReviewColumn, ReviewModel, ReviewTable } from './review-model.ts';
import { ruleText } from './rule-text.ts';
import { signalsOf, type ColumnDraft } from './scan-signals.ts';
import { snapshotOf, type ReviewSnapshot } from './snapshot.ts';

export interface ReviewInputs {
  rules: Rules;
  /** The rules file's comments (readRuleComments). */
  comments: RuleComments;
  /** The live source's schema. */
  schema: DatabaseSchema;
  /** Scan's draft of the same source: its signals per column. */
  scan: ScanResult['tables'];
  sampleSize: number;
  /** `masque check` of the rules against the source. */
  problems: Problem[];
  configErrors: string[];
  run?: RunReport;
  verify?: VerifyReport;
  previous?: ReviewSnapshot;
  /** Masked example values per table, then column (`--examples`). */
  examples?: Map<string, Map<string, string[]>>;
  /** The source URL, password removed. */
  source?: string;
  now: Date;
}

/**
 * The reviewer's page as data. Each column's state comes from what the rules do with it (the
 * plan `run` would make against this source: a foreign key of a masked key is masked too) and
 * what scan says about it; its reason from the rules file's comment; its verification from the
 * verify report. Pure: every input is read already.
 */
export function buildReview(inputs: ReviewInputs): ReviewModel {
  const { rules, schema } = inputs;
  const draft = draftPlan(rules, schema, schema);
  const drafts = new Map(inputs.scan.map((t) => [t.table, new Map(t.columns.map((c) => [c.column, c]))]));
  // In the rules file's order, as the reviewer reads the file; tables no rule names last.
  const line = (plan: TablePlan) =>
    rules.tables.find((r) => matchesTable(r.pattern, plan.source))?.place.line ?? Number.MAX_SAFE_INTEGER;
  const plans = [...draft.plan.tables].sort((a, b) => line(a) - line(b) || a.source.name.localeCompare(b.source.name));
  const tables = plans.map((plan) => reviewTable(plan, inputs, drafts.get(plan.source.name), draft.propagated));
  const model: ReviewModel = {
    generatedAt: inputs.now.toISOString(),
    rulesFile: rules.file,
    strict: rules.strict,
    sampleSize: inputs.sampleSize,
    tables,
    problems: inputs.problems,
    configErrors: inputs.configErrors,
    examples: inputs.examples !== undefined,
    ...(inputs.source && { source: inputs.source }),
    ...(inputs.run && { run: inputs.run }),
    ...(inputs.verify && { verify: inputs.verify }),
  };
  if (inputs.previous) {
    const items = changesSince(inputs.previous, snapshotOf(model));
    model.changes = { since: inputs.previous.generatedAt, items };
  }
  return model;
}

function reviewTable(
  plan: TablePlan,
  inputs: ReviewInputs,
  drafts: Map<string, ColumnDraft> | undefined,
  propagated: Set<ColumnPlan>,
): ReviewTable {
  const name = plan.source.name;
  const rule = inputs.rules.tables.find((r) => matchesTable(r.pattern, plan.source));
  const place = rule && commentKey(rule.place);
  const section = place && inputs.comments.sections.get(place);
  const comment = place && inputs.comments.byPlace.get(place);
  const run = inputs.run?.tables.find((t) => t.table === name);
  const verified = inputs.verify?.tables.find((t) => t.table === name);
  const columns = plan.source.columns.map((info) => {
    const column = plan.columns.find((c) => c.name === info.name);
    const ruled = !!rule && (!!column?.rule || (!!column && propagated.has(column)));
    const copied = !plan.skip && !info.generated;
    const masked = copied && !!column && isMasked(column, propagated);
    const signals = signalsOf(drafts?.get(info.name));
    const state = stateOf({ copied, masked, ruled, signals });
    const review: ReviewColumn = {
      column: info.name,
      dataType: info.dataType,
      state: state.id,
      rule: describeRule(plan, info.name, column, propagated, inputs.schema),
      signals,
    };
    const note = column?.rule && inputs.comments.byPlace.get(commentKey(column.rule.place));
    if (note) review.comment = note;
    const verification = inputs.verify && verifyColumn(inputs.verify, name, info.name, masked, !!verified);
    if (verification) review.verify = verification;
    const examples = inputs.examples?.get(name)?.get(info.name);
    if (examples?.length) review.examples = examples;
    return review;
  });
  return {
    table: name,
    skip: plan.skip,
    columns,
    findings: inputs.verify?.findings.filter((f) => f.subject === name) ?? [],
    ...(section && { section }),
    ...(comment && { comment }),
    ...(plan.where !== undefined && { where: plan.where }),
    ...(run && { run }),
    ...(verified && { verify: verified }),
  };
}

/** Masked: the rule is not `keep` (a `when:` rule masks some rows at least), or the column follows a masked key. */
function isMasked(column: ColumnPlan, propagated: Set<ColumnPlan>): boolean {
  if (propagated.has(column) || column.condition) return true;
  return !!column.rule && column.rule.transform !== 'keep';
}

function describeRule(
  plan: TablePlan,
  name: string,
  column: ColumnPlan | undefined,
  propagated: Set<ColumnPlan>,
  schema: DatabaseSchema,
): string {
  if (plan.skip) return 'table skipped: no rows copied';
  if (!column) return 'generated by the database: not copied';
  if (propagated.has(column)) {
    const key = referencedKey(plan.source, name, schema);
    const own = column.rule ? ` (its own rule, ${ruleText(column.rule)}, gives way)` : '';
    return `follows its masked key${key ? ` ${key}` : ''}${own}`;
  }
  return column.rule ? ruleText(column.rule) : 'no rule: copied unchanged unless strict';
}

/** `table.column` a foreign-key column references. */
function referencedKey(table: TableInfo, column: string, schema: DatabaseSchema): string | undefined {
  const tables = [table, ...schema.tables.filter((t) => t.name === table.partitionOf)];
  for (const t of tables) {
    for (const fk of t.foreignKeys) {
      const i = fk.columns.indexOf(column);
      if (i >= 0) return `${fk.referencedTable}.${fk.referencedColumns[i]}`;
    }
  }
  return undefined;
}

/** What verify says about one column: its findings, or whether the leak check covered it. */
function verifyColumn(
  report: VerifyReport,
  table: string,
  column: string,
  masked: boolean,
  verified: boolean,
): ColumnVerification | undefined {
  const subject = `${table}.${column}`;
  const findings = report.findings.filter((f) => f.subject === subject);
  if (findings.length) return { status: 'finding', text: findings.map((f) => `${f.kind}: ${f.message}`).join('; ') };
  if (!verified) return masked ? { status: 'not-verified', text: 'not in the verify report' } : undefined;
  if (!masked) return undefined;
  const unchecked = report.notLeakChecked.find((u) => u.subject === subject);
  if (unchecked) return { status: 'not-checked', text: `not leak-checked: ${unchecked.reason}` };
  return { status: 'clean', text: 'leak check: no source value found in the target' };
}
