/** @masque/core — the public API: rules, dialects, transformers and the masking engine. */
export * from './config/index.ts';
export type {
  Batch,
  Dialect,
  Loader,
  ReadRequest,
  Row,
  SnapshotReader,
  Value,
  WriteRequest,
} from './dialects/dialect.ts';
export type { ColumnInfo, DatabaseSchema, ForeignKey, TableInfo, TypeCategory } from './dialects/schema.ts';
export { openDialect } from './dialects/open-dialect.ts';
export { engineOf, redactUrl } from './dialects/database-url.ts';
export { buildSampleDatabase } from './demo/build-sample.ts';
export { createSampleSchema } from './demo/sample-schema.ts';
export type { RunEvent, RunListener, RunSummary, TableSummary } from './engine/events.ts';
export {
  draftPlan,
  planRun,
  type ColumnPlan,
  type Plan,
  type PlanDraft,
  type PlanOptions,
  type TablePlan,
} from './engine/plan.ts';
export { commentKey, readRuleComments, type RuleComments } from './config/rule-comments.ts';
export { matchesTable } from './engine/table-match.ts';
export { previewTable, type Preview } from './engine/preview.ts';
export { runRefresh, type RunOptions } from './engine/run.ts';
export { shardIndexOf, type ShardOptions } from './engine/shards/shard-options.ts';
export { sampleRows } from './engine/sample-rows.ts';
export { splitNames } from './names.ts';
export {
  CheckError,
  ConfigError,
  DatabaseError,
  MasqueError,
  RuntimeError,
  formatProblem,
  type Problem,
  type SourcePlace,
} from './errors.ts';
export { resolveTransformer, transformerNames } from './transformers/registry.ts';
export {
  transformerCatalogue,
  type Catalogue,
  type FakerInfo,
  type ParameterInfo,
  type TransformerInfo,
} from './transformers/catalogue.ts';
export type { CustomContext, CustomFunction } from './transformers/custom.ts';
export type { Transform, TransformContext, TransformerDefinition } from './transformers/define-transformer.ts';
export { checkDatabases } from './check/check-databases.ts';
export { checkRules, type CheckReport } from './check/check-rules.ts';
export { guardTarget, targetRefusal } from './guard/production-guard.ts';
export { protectedBy } from './guard/protect-patterns.ts';
export { scanSource, type ScanOptions, type ScanResult } from './scan/scan-source.ts';
export {
  verifyDatabases,
  type Finding,
  type TableVerification,
  type VerifyOptions,
  type VerifyReport,
} from './verify/verify-databases.ts';
