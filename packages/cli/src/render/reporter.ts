import type { RunListener } from '@masque/core';
import { jsonLinesReporter } from './json-lines.ts';
import { prettyReporter } from './pretty.ts';

/** Pretty on a terminal, JSON lines elsewhere (cron, CI), nothing but errors with --quiet. */
export function reporterFor(options: { log?: 'pretty' | 'json'; quiet?: boolean }): RunListener {
  if (options.quiet) return () => {};
  const mode = options.log ?? (process.stderr.isTTY ? 'pretty' : 'json');
  return mode === 'json' ? jsonLinesReporter() : prettyReporter();
}
