import { readFileSync } from 'node:fs';
import { ConfigError, type Rules, type VerifyReport } from '@masque/core';
import { loadCommandRules, type CommonOptions } from '../options.ts';
import { DEFAULT_SAMPLE } from '../report-html/collect-review.ts';
import { checkPageFile } from '../report-html/page-file.ts';
import { snapshotFromFile } from '../report-html/snapshot.ts';
import { concerns, stateCounts } from '../report-html/state-counts.ts';
import { writeReviewPage } from '../report-html/write-review.ts';
import type { RunReport } from '../report/run-report.ts';

export interface ReportCommandOptions extends Pick<CommonOptions, 'config' | 'source' | 'target' | 'quiet'> {
  /** Where to write the page (`--html FILE`). */
  html: string;
  /** `masque run --report FILE`'s JSON. */
  runReport?: string;
  /** `masque verify --report FILE`'s JSON. */
  verifyReport?: string;
  /** A previous page to compare with (default: the page `--html` replaces). */
  since?: string;
  /** Rows scan samples per table (default 1000; 0: names only). */
  sample?: number;
  /** Masked examples per masked column: `true` for the default count, or a count of rows. */
  examples?: boolean | number;
}

const DEFAULT_EXAMPLES = 3;

/**
 * `masque report --html FILE`: one offline page for whoever signs off the rules. Reads the rules
 * and the source (never the target), and the run's and verify's JSON reports when given. The
 * secret is needed only for `--examples`; when it is set anyway, it serves to check that the page
 * does not contain it.
 */
export async function reportCommand(
  options: ReportCommandOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  checkPageFile(options.html, '--html');
  const examples = options.examples === true ? DEFAULT_EXAMPLES : options.examples || undefined;
  const rules = loadReportRules(options, examples !== undefined);
  const run = options.runReport ? readReport<RunReport>(options.runReport, '--run-report', isRunReport) : undefined;
  const verify = options.verifyReport
    ? readReport<VerifyReport>(options.verifyReport, '--verify-report', isVerifyReport)
    : undefined;
  const previous = options.since ? snapshotFromFile(options.since, readText(options.since, '--since')) : undefined;
  const { model, bytes } = await writeReviewPage(options.html, {
    rules,
    secret: rules.secret,
    sampleSize: options.sample ?? DEFAULT_SAMPLE,
    ...(run && { run }),
    ...(verify && { verify }),
    ...(previous && { previous }),
    ...(examples !== undefined && { examples }),
  });
  if (options.quiet) return;
  const columns = model.tables.reduce((n, t) => n + t.columns.length, 0);
  const masked = stateCounts(model.tables).get('masked') ?? 0;
  const changes = model.changes ? `, ${model.changes.items.length} change(s) since the last report` : '';
  out.write(
    `masque report: ${options.html} (${Math.ceil(bytes / 1024)} KiB): ${model.tables.length} table(s), ` +
      `${columns} column(s), ${masked} masked, ${concerns(model).length} need a look${changes}\n`,
  );
}

/**
 * The rules without the target (never opened). The secret is read when `--examples` needs it;
 * otherwise when it can be, only to check the page, and an unset `${MASQUE_SECRET}` is no error.
 */
function loadReportRules(options: ReportCommandOptions, needSecret: boolean): Rules {
  if (needSecret) return loadCommandRules(options, ['target', 'protect']);
  try {
    return loadCommandRules(options, ['target', 'protect']);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return loadCommandRules(options, ['target', 'protect', 'secret']);
  }
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${flag} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`);
  }
}

function readReport<T>(file: string, flag: string, valid: (data: unknown) => boolean): T {
  let data: unknown;
  try {
    data = JSON.parse(readText(file, flag));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError(`${flag} ${file}: not JSON`);
  }
  if (!valid(data)) throw new ConfigError(`${flag} ${file}: not the JSON report this flag expects`);
  return data as T;
}

const isRunReport = (data: unknown): boolean => {
  const r = data as Partial<RunReport> | null;
  return !!r && typeof r.status === 'string' && typeof r.exitCode === 'number' && Array.isArray(r.tables);
};

const isVerifyReport = (data: unknown): boolean => {
  const r = data as Partial<VerifyReport> | null;
  return !!r && Array.isArray(r.findings) && Array.isArray(r.tables) && Array.isArray(r.notLeakChecked);
};
