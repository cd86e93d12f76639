import { runRefresh, type RunSummary } from '@masque/core';
import { loadCommandRules, type CommonOptions } from '../options.ts';
import { reporterFor } from '../render/reporter.ts';

/** `masque run`: a full refresh of the target from the source under the rules. */
export async function runCommand(options: CommonOptions): Promise<RunSummary> {
  const rules = loadCommandRules(options);
  return runRefresh({ rules, onEvent: reporterFor(options), ...(options.only && { only: options.only }) });
}
