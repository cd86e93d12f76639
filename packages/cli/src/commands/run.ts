import { runRefresh, type RunEvent } from '@masque/core';
import { loadCommandRules, type CommonOptions } from '../options.ts';
import { formatError } from '../format-error.ts';
import { checkOutputFiles, writeOutputFiles, type OutputFiles } from '../report/output-files.ts';
import { createRunRecorder, type RunReport } from '../report/run-report.ts';
import { reporterFor } from '../render/reporter.ts';

export interface RunCommandOptions extends CommonOptions, OutputFiles {}

/**
 * `masque run`: a full refresh of the target from the source under the rules. Whatever happens
 * after the flags parse, the run ends with a report: the last JSON line, `--report` and
 * `--metrics` say how it went, failures included; then the failure is rethrown for its exit code.
 */
export async function runCommand(options: RunCommandOptions): Promise<RunReport> {
  checkOutputFiles(options);
  const reporter = reporterFor(options);
  const recorder = createRunRecorder();
  const onEvent = (event: RunEvent): void => {
    recorder.onEvent(event);
    reporter(event);
  };
  let failure: { error: unknown } | undefined;
  try {
    const rules = loadCommandRules(options);
    await runRefresh({ rules, onEvent, ...(options.only && { only: options.only }) });
  } catch (error) {
    failure = { error };
  }
  let report = recorder.finish(failure?.error);
  try {
    writeOutputFiles(options, report);
  } catch (error) {
    // A run that failed keeps its own reason (and exit code); this one is said in passing.
    if (failure) {
      process.stderr.write(`${formatError(error)}\n`);
    } else {
      failure = { error };
      report = recorder.finish(error);
    }
  }
  reporter.finish(report);
  if (failure) throw failure.error;
  return report;
}
