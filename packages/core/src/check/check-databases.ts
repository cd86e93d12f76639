import type { Rules } from '../config/rules.ts';
import { databaseUrls, withDatabases } from '../engine/open-databases.ts';
import type { PlanOptions } from '../engine/plan.ts';
import { prepareTransformers } from '../engine/prepare-transformers.ts';
import { inFileOrder, rootWhereProblems } from '../engine/subset/root-wheres.ts';
import { targetRefusal } from '../guard/production-guard.ts';
import { checkRules, type CheckReport } from './check-rules.ts';

/**
 * `masque check`: introspects the source and the target (both only read) and checks the rules
 * against them, including the production guard `run` applies. Without a target the rules are
 * checked against the source alone, with a warning, so rules can be checked before staging exists.
 */
export async function checkDatabases(rules: Rules, options: PlanOptions = {}): Promise<CheckReport> {
  const urls = databaseUrls(rules, 'optional');
  return withDatabases(urls, async (source, target) => {
    const sourceSchema = await source.introspect();
    // Loads `custom` modules and the like; a module that fails to load is a config error (exit 2).
    const prepared = await prepareTransformers(rules);
    const targetSchema = target ? await target.introspect() : sourceSchema;
    const report = checkRules(rules, sourceSchema, targetSchema, { ...options, prepared });
    // A subset root's `where` must run on the source: only the source can tell.
    report.problems = inFileOrder(report.problems, await rootWhereProblems(source, sourceSchema, rules));
    if (!target) {
      const message = 'no target database: the rules were checked against the source alone';
      report.problems.push({ severity: 'warning', subject: 'target', message });
      return report;
    }
    const refusal = await targetRefusal(source, target, urls.target!, rules.protect);
    if (refusal) report.configErrors.push(refusal);
    return report;
  });
}
