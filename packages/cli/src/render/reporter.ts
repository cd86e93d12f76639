import type { RunListener } from '@masque/core';
import type { RunReport } from '../report/run-report.ts';
import { jsonLinesReporter } from './json-lines.ts';
import { prettyReporter } from './pretty.ts';

/**
 * Renders a run: called with each event, then `finish` once with the run's report (success or
 * failure). A reporter works as a plain RunListener too, for callers without a report.
 */
export type Reporter = RunListener & { finish(report: RunReport): void };

/** Pretty on a terminal, JSON lines elsewhere (cron, CI), nothing but errors with --quiet. */
export function reporterFor(options: { log?: 'pretty' | 'json'; quiet?: boolean }): Reporter {
  if (options.quiet) return Object.assign(() => {}, { finish: () => {} });
  const mode = options.log ?? (process.stderr.isTTY ? 'pretty' : 'json');
  return mode === 'json' ? jsonLinesReporter() : prettyReporter();
}
