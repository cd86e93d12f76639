import { dirname, resolve } from 'node:path';
import type { Rules, TransformRule } from '../config/rules.ts';
import { ConfigError, formatPlace } from '../errors.ts';
import { fakerLocaleKey } from '../transformers/faker-method.ts';
import { preloadLocale } from '../transformers/faker-locales.ts';
import { resolveTransformer } from '../transformers/registry.ts';
import { SourceColumns } from './source-columns.ts';

/**
 * What each rule's transformer loaded ahead of time (`custom` modules, `json`'s nested rules),
 * keyed by the rule object of `Rules`: a column's rule or its `otherwise:` rule.
 */
export type PreparedRules = Map<TransformRule, unknown>;

/**
 * Awaits every transformer's `prepare` — the asynchronous work `create` cannot do, such as
 * importing a user's module — once per rule (a `when:` rule's `otherwise:` is a rule too), before
 * planning. Rules whose transformer or parameters are wrong are left to the plan, which reports
 * them with everything else.
 */
export async function prepareTransformers(rules: Rules): Promise<PreparedRules> {
  // Faker loaded as its own code before any transformer needs it (see preloadLocale); English
  // serves `email` and `iban` whatever the rules' locale.
  for (const locale of new Set(['en', fakerLocaleKey(rules.locale)])) await preloadLocale(locale);
  const prepared: PreparedRules = new Map();
  const errors: string[] = [];
  const source = rules.source ? new SourceColumns(rules.source) : undefined;
  const env = { baseDir: dirname(resolve(rules.file)), ...(source && { readColumn: source.read }) };
  for (const column of rules.tables.flatMap((t) => t.columns)) {
    for (const rule of column.otherwise ? [column, column.otherwise] : [column]) {
      const definition = resolveTransformer(rule.transform);
      if (!definition?.prepare) continue;
      const params = definition.params.safeParse(rule.params);
      if (!params.success) continue;
      try {
        prepared.set(rule, await definition.prepare(params.data, env));
      } catch (error) {
        errors.push(`${formatPlace(column.place)}: ${rule.transform}: ${(error as Error).message}`);
      }
    }
  }
  await source?.close();
  if (errors.length) throw new ConfigError(errors.join('\n'));
  return prepared;
}
