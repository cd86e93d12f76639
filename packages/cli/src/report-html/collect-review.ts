import { readFileSync } from 'node:fs';
import {
  checkDatabases,
  ConfigError,
  openDialect,
  readRuleComments,
  redactUrl,
  scanSource,
  type Rules,
  type VerifyReport,
} from '@masque/core';
import type { RunReport } from '../report/run-report.ts';
import { buildReview } from './build-review.ts';
import { maskedExamples } from './examples.ts';
import type { ReviewModel } from './review-model.ts';
import type { ReviewSnapshot } from './snapshot.ts';

export interface ReviewRequest {
  /** The rules; the target is never opened (the report is about the rules and the source). */
  rules: Rules;
  /** Rows scan samples per table for its value signals; 0: names only. */
  sampleSize: number;
  run?: RunReport;
  verify?: VerifyReport;
  previous?: ReviewSnapshot;
  /** Rows per table to show masked examples of (`--examples`); unset: none. */
  examples?: number;
}

/** Rows scan samples per table for its signals, as `masque scan` does by default. */
export const DEFAULT_SAMPLE = 1000;

/** Warnings that say what the report chose not to read, not something about the rules. */
const OWN_CHOICES = new Set(['secret', 'target']);

/**
 * Reads everything the page shows from the source (read-only): its schema, scan's signals (the
 * same signals that draft rules, sampled rows tested and dropped), `masque check`'s problems, and
 * masked examples when asked; then builds the page's data.
 */
export async function collectReview(request: ReviewRequest): Promise<ReviewModel> {
  const { target: _target, ...rules } = request.rules;
  const url = rules.source;
  if (!url) throw new ConfigError('the report reads the source database: set `source:` in the rules or pass --source');
  const dialect = await openDialect(url, 'source');
  const schema = await dialect.introspect().finally(() => dialect.close());
  const scan = await scanSource(url, { sampleSize: request.sampleSize });
  const check = await checkDatabases(rules);
  const base = {
    rules,
    comments: readRuleComments(readFileSync(rules.file, 'utf8')),
    schema,
    scan: scan.tables,
    sampleSize: request.sampleSize,
    problems: check.problems.filter((p) => !OWN_CHOICES.has(p.subject)),
    configErrors: check.configErrors,
    source: redactUrl(url),
    now: new Date(),
    ...(request.run && { run: request.run }),
    ...(request.verify && { verify: request.verify }),
    ...(request.previous && { previous: request.previous }),
  };
  const model = buildReview(base);
  if (request.examples === undefined) return model;
  const masked = model.tables
    .map((t) => ({ table: t.table, columns: t.columns.filter((c) => c.state === 'masked').map((c) => c.column) }))
    .filter((t) => t.columns.length);
  return buildReview({ ...base, examples: await maskedExamples(rules, masked, request.examples) });
}
