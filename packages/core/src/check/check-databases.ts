import type { Rules } from '../config/rules.ts';
import type { Dialect } from '../dialects/dialect.ts';
import { engineOf } from '../dialects/database-url.ts';
import { openDialect } from '../dialects/open-dialect.ts';
import type { PlanOptions } from '../engine/plan.ts';
import { prepareTransformers } from '../engine/prepare-transformers.ts';
import { ConfigError } from '../errors.ts';
import { targetRefusal } from '../guard/production-guard.ts';
import { checkRules, type CheckReport } from './check-rules.ts';

/**
 * `masque check`: introspects the source and the target (both only read) and checks the rules
 * against them, including the production guard `run` applies. Without a target the rules are
 * checked against the source alone, with a warning, so rules can be checked before staging exists.
 */
export async function checkDatabases(rules: Rules, options: PlanOptions = {}): Promise<CheckReport> {
  if (!rules.source) throw new ConfigError('no source database: set `source:` in the rules or pass --source');
  if (rules.target && engineOf(rules.source) !== engineOf(rules.target)) {
    throw new ConfigError(`source and target must be the same engine (${engineOf(rules.source)} vs ${engineOf(rules.target)})`);
  }
  const dialects: Dialect[] = [];
  try {
    const source = await openDialect(rules.source).then((d) => (dialects.push(d), d));
    const target = rules.target ? await openDialect(rules.target).then((d) => (dialects.push(d), d)) : undefined;
    const sourceSchema = await source.introspect();
    // Loads `custom` modules and the like; a module that fails to load is a config error (exit 2).
    const prepared = await prepareTransformers(rules);
    const report = checkRules(rules, sourceSchema, target ? await target.introspect() : sourceSchema, { ...options, prepared });
    if (!target) {
      report.problems.push({ severity: 'warning', subject: 'target', message: 'no target database: the rules were checked against the source alone' });
      return report;
    }
    const refusal = await targetRefusal(source, target, rules.target!, rules.protect);
    if (refusal) report.configErrors.push(refusal);
    return report;
  } finally {
    await Promise.all(dialects.map((d) => d.close()));
  }
}
