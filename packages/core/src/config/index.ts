/** The rules file: schema, loading with env interpolation, normalised form, CLI overrides. */
export { configErrorFrom, formatPath, type ConfigIssue } from './config-issue.ts';
export type { Env } from './interpolate.ts';
export { RULES_JSON_SCHEMA_FILE, renderRulesJsonSchema, rulesJsonSchema } from './json-schema.ts';
export { loadRules, parseRules } from './load-rules.ts';
export type { OptionalRuleKey, RuleOverrides } from './override.ts';
export type { ColumnRule, KeyRef, RelationRule, Rules, SubsetRoot, SubsetRule, TableRule } from './rules.ts';
export { ColumnRuleSchema, RulesFileSchema, TableRuleSchema, type RulesFile } from './rules-schema.ts';
