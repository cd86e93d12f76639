import type { Finding, Problem, TableSummary, TableVerification, VerifyReport } from '@masque/core';
import type { RunReport } from '../report/run-report.ts';
import type { Change } from './changes.ts';
import type { Signal } from './scan-signals.ts';

/**
 * Everything the reviewer's page shows, as plain data: built from the rules, the live source
 * schema, scan's signals and the reports given (build-review.ts), rendered by render-page.ts.
 * It holds names, rules, reasons, counts and timings; never a source value, never the secret.
 */
export interface ReviewModel {
  generatedAt: string;
  rulesFile: string;
  /** The source's URL without its password. */
  source?: string;
  strict: boolean;
  /** Rows scan sampled per table for its value signals (0: names only). */
  sampleSize: number;
  tables: ReviewTable[];
  /** `masque check` against the live source: errors and warnings, placed in the rules file. */
  problems: Problem[];
  /** Config errors of the rules (`file:line:column: message`). */
  configErrors: string[];
  run?: RunReport;
  verify?: VerifyReport;
  /** Set when a previous report was given: what changed since, most serious first. */
  changes?: { since: string; items: Change[] };
  /** Masked examples were asked for (`--examples`). */
  examples: boolean;
}

export interface ReviewTable {
  table: string;
  /** The section ruler of the rules file it stands under (`# --- people ---`). */
  section?: string;
  /** The rules file's comment on the table. */
  comment?: string;
  skip: boolean;
  where?: string;
  columns: ReviewColumn[];
  /** This table in the run report, when given (`sourceRows`: a subset's count of source rows, when reported). */
  run?: TableSummary & { sourceRows?: number };
  /** This table in the verify report, when given. */
  verify?: TableVerification;
  /** Verify's findings naming the table itself (row counts, keys). */
  findings: Finding[];
}

export interface ReviewColumn {
  column: string;
  dataType: string;
  /** An id of COLUMN_STATES. */
  state: string;
  /** The rule in one line, or what happens without one. */
  rule: string;
  /** The rules file's comment beside the rule. */
  comment?: string;
  signals: Signal[];
  verify?: ColumnVerification;
  /** Masked values, different from their source values, when `--examples` asked for them. */
  examples?: string[];
}

export interface ColumnVerification {
  status: 'clean' | 'finding' | 'not-checked' | 'not-verified';
  text: string;
}
