import { writeFileSync } from 'node:fs';
import { verifyDatabases, type VerifyReport } from '@masque/core';
import { ExitCode } from '../exit.ts';
import { loadCommandRules, type CommonOptions } from '../options.ts';

export interface VerifyCommandOptions extends CommonOptions {
  deep?: boolean;
  sample?: number;
  report?: string;
}

/**
 * `masque verify`: after a run, the target against the source. Prints each finding (kind,
 * table.column, count: never a value) and exits 1 when there is any, 0 otherwise.
 */
export async function verifyCommand(
  options: VerifyCommandOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const rules = loadCommandRules(options);
  const report = await verifyDatabases(rules, {
    ...(options.only && { only: options.only }),
    ...(options.deep && { deep: true }),
    ...(options.sample !== undefined && { sampleSize: options.sample }),
  });
  if (options.report) writeFileSync(options.report, `${JSON.stringify(report, null, 2)}\n`);
  const json = (options.log ?? (process.stdout.isTTY ? 'pretty' : 'json')) === 'json';
  if (json) {
    for (const finding of report.findings) out.write(`${JSON.stringify({ type: 'finding', ...finding })}\n`);
    const { findings, sampleSize, tables, notLeakChecked, deep } = report;
    const summary = { type: 'verify', findings: findings.length, sampleSize, tables, notLeakChecked, deep };
    out.write(`${JSON.stringify(summary)}\n`);
  } else if (!options.quiet || report.findings.length) {
    out.write(prettyReport(report));
  }
  return report.findings.length ? ExitCode.problems : ExitCode.ok;
}

function prettyReport(report: VerifyReport): string {
  const number = new Intl.NumberFormat('en');
  const lines = report.findings.map((f) => `${f.kind}: ${f.subject}: ${f.message}`);
  for (const t of report.tables.filter((t) => t.sampledRows < t.sourceRows)) {
    const sample = `${number.format(t.sampledRows)} of ${number.format(t.sourceRows)} rows`;
    lines.push(`note: ${t.table}: values checked on a sample of ${sample}`);
  }
  for (const u of report.notLeakChecked) lines.push(`note: ${u.subject}: not leak-checked: ${u.reason}`);
  if (report.deep) lines.push(deepNote(report.deep, number));
  if (report.findings.some((f) => f.kind === 'leak' || f.kind === 'deep-leak')) {
    // verify re-masks the source to tell chance matches from leaks; another secret breaks that.
    lines.push('note: leaks are judged by masking the source again: verify with the secret the run used');
  }
  const rows = report.tables.reduce((n, t) => n + t.targetRows, 0);
  const verdict = report.findings.length ? `${report.findings.length} finding(s)` : 'ok';
  const counts = `${report.tables.length} table(s), ${number.format(rows)} target row(s)`;
  const sample = `samples of up to ${number.format(report.sampleSize)} rows per table`;
  lines.push(`masque verify: ${verdict}; ${counts}, ${sample}`);
  return `${lines.join('\n')}\n`;
}

/** What `--deep` looked for, and what it left out below the line (docs/free-text.md). */
function deepNote(deep: NonNullable<VerifyReport['deep']>, number: Intl.NumberFormat): string {
  const { short, code, word, frequent, place, overLimit } = deep.skipped;
  const left = [
    short && `${number.format(short)} shorter than 4 characters`,
    code && `${number.format(code)} codes of fewer than 7 digits`,
    word && `${number.format(word)} single words (names are looked for whole)`,
    frequent && `${number.format(frequent)} held by many rows`,
    place && `${number.format(place)} places (cities, regions, countries)`,
    overLimit && `${number.format(overLimit)} over the limit`,
  ].filter(Boolean);
  const values = `${number.format(deep.values)} source value(s) of ${deep.sourceColumns} masked column(s)`;
  return `note: --deep looked for ${values} in ${deep.targetColumns} text column(s)${
    left.length ? `; left out: ${left.join(', ')}` : ''
  }`;
}
