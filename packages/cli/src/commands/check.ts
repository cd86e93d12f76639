import { checkDatabases, ConfigError, formatProblem, type CheckReport } from '@masque/core';
import { ExitCode } from '../exit.ts';
import { loadCommandRules, type CommonOptions } from '../options.ts';

/**
 * `masque check`: the rules against the live source and target schemas. Prints every problem
 * (pretty, or one JSON object per line), then exits 0 (warnings at most), 1 (errors) or, through
 * a thrown ConfigError, 2 (config errors, which are listed after the problems).
 */
export async function checkCommand(
  options: CommonOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const rules = loadCommandRules(options);
  const report = await checkDatabases(rules, { ...(options.only && { only: options.only }) });
  const json = (options.log ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'json';
  const errors = report.problems.filter((p) => p.severity === 'error').length;
  const summary = {
    errors,
    warnings: report.problems.length - errors,
    configErrors: report.configErrors.length,
    tables: report.tables,
    columns: report.columns,
  };
  if (json) {
    for (const problem of report.problems) out.write(`${JSON.stringify({ type: 'problem', ...problem })}\n`);
    out.write(`${JSON.stringify({ type: 'check', ...summary })}\n`);
  } else if (!options.quiet || errors) {
    for (const problem of report.problems) out.write(`${formatProblem(problem)}\n`);
    out.write(`${summaryLine(report, summary)}\n`);
  }
  if (report.configErrors.length) throw new ConfigError(report.configErrors.join('\n'));
  return errors ? ExitCode.problems : ExitCode.ok;
}

function summaryLine(report: CheckReport, s: { errors: number; warnings: number }): string {
  const verdict = s.errors ? `${s.errors} error(s)` : report.configErrors.length ? 'config errors (below)' : 'ok';
  const checked = `${report.tables} table(s), ${report.columns} column(s) checked`;
  return `masque check: ${verdict}, ${s.warnings} warning(s); ${checked}`;
}
