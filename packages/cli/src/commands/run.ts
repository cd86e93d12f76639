import { runRefresh, shardIndexOf, type RunEvent, type ShardOptions } from '@masque/core';
import { formatError } from '../format-error.ts';
import { loadCommandRules, type CommonOptions } from '../options.ts';
import { checkOutputFiles, writeOutputFiles, type OutputFiles } from '../report/output-files.ts';
import { createRunRecorder, type RunReport } from '../report/run-report.ts';
import { checkPageFile } from '../report-html/page-file.ts';
import { writeRunPage } from '../report-html/run-page.ts';
import { jsonLinesReporter } from '../render/json-lines.ts';
import { reporterFor } from '../render/reporter.ts';
import { abortOnSignals } from '../signals.ts';

export interface RunCommandOptions extends CommonOptions, OutputFiles {
  /** Reuse the tables an interrupted run staged (`--resume`). */
  resume?: boolean;
  /** One transaction straight into the tables, no shadow copy, not resumable (`--direct`). */
  direct?: boolean;
  /** Seconds to wait for another run's lock on the target (`--wait`). */
  wait?: number;
  /** Work units copied at once (`--jobs`). */
  jobs?: number;
  /** Seconds after which the run stops, the target unchanged (`--timeout`). */
  timeout?: number;
  /** Longest wait of a statement on the target for another session's lock (`--lock-timeout`). */
  lockTimeout?: number;
  /** An empty target gets the source's schema first (`--create-schema`). */
  createSchema?: boolean;
  /** The reviewer's page, written after the run (`--report-html`; see commands/report.ts). */
  reportHtml?: string;
  /** One refresh spread over this many processes (`--shards`). */
  shards?: number;
  /** This process's shard (`--shard-index`; else `JOB_COMPLETION_INDEX`). */
  shardIndex?: number;
  /** Seconds a unit stays a shard's without renewal (`--lease`). */
  lease?: number;
  /** Seconds a shard waits for shard 0's plan (`--plan-wait`). */
  planWait?: number;
  /** Rows per work unit of a split table (hidden `--unit-rows`, for tests and measurements). */
  unitRows?: number;
}

/**
 * `masque run`: a full refresh of the target from the source under the rules. Whatever happens
 * after the flags parse, the run ends with a report: the last JSON line, `--report` and
 * `--metrics` say how it went, failures included; then the failure is rethrown for its exit code.
 */
export async function runCommand(options: RunCommandOptions): Promise<RunReport> {
  const reporter = shardReporter(options) ?? reporterFor(options);
  const recorder = createRunRecorder();
  const onEvent = (event: RunEvent): void => {
    recorder.onEvent(event);
    reporter(event);
  };
  let files: OutputFiles = {};
  let failure: { error: unknown } | undefined;
  const signals = abortOnSignals();
  let loaded: ReturnType<typeof loadCommandRules> | undefined;
  try {
    checkOutputFiles(options);
    if (options.reportHtml) checkPageFile(options.reportHtml, '--report-html');
    files = { report: options.report, metrics: options.metrics };
    const rules = loadCommandRules(options);
    loaded = rules;
    const shard = options.shards === undefined ? undefined : shardOf(options, options.shards);
    await runRefresh({
      rules,
      onEvent,
      signal: signals.signal,
      mode: options.direct ? 'direct' : 'staged',
      resume: options.resume ?? false,
      waitSeconds: options.wait ?? 0,
      jobs: options.jobs ?? 1,
      createSchema: options.createSchema ?? false,
      ...(options.timeout !== undefined && { timeoutSeconds: options.timeout }),
      ...(options.lockTimeout !== undefined && { lockTimeoutSeconds: options.lockTimeout }),
      ...(options.only && { only: options.only }),
      ...(shard && { shard }),
      ...(options.unitRows !== undefined && { unitRows: options.unitRows }),
    });
  } catch (error) {
    // An error nobody caught is the reason the run stopped, not the abort it caused.
    failure = signals.uncaught ?? { error };
  } finally {
    signals.dispose();
  }
  let report = recorder.finish(failure?.error);
  // An output file that cannot be written: a failed run keeps its own reason (and exit code) and
  // this one is said in passing; otherwise it fails the run.
  const outputFailed = (error: unknown): void => {
    if (failure) {
      process.stderr.write(`${formatError(error)}\n`);
    } else {
      failure = { error };
      report = recorder.finish(error);
    }
  };
  if (options.reportHtml && loaded) {
    await writeRunPage(options.reportHtml, loaded, report).catch(outputFailed);
  }
  try {
    writeOutputFiles(files, report);
  } catch (error) {
    outputFailed(error);
  }
  reporter.finish(report);
  if (failure) throw failure.error;
  return report;
}

function shardOf(options: RunCommandOptions, count: number): ShardOptions {
  return {
    count,
    index: shardIndexOf(options.shardIndex),
    ...(options.lease !== undefined && { leaseSeconds: options.lease }),
    ...(options.planWait !== undefined && { planWaitSeconds: options.planWait }),
  };
}

/**
 * With `--shards`, JSON lines say which shard wrote them: `"shard": i` first in every line, the
 * last one too, so the pods' logs can be read together. The index is the one the run will use; a
 * shard without one fails its run, and its lines go out untagged.
 */
function shardReporter(options: RunCommandOptions): ReturnType<typeof reporterFor> | undefined {
  if (options.shards === undefined || options.quiet) return undefined;
  if ((options.log ?? (process.stderr.isTTY ? 'pretty' : 'json')) !== 'json') return undefined;
  let shard: number;
  try {
    shard = shardIndexOf(options.shardIndex);
  } catch {
    return undefined;
  }
  return jsonLinesReporter((line) => process.stdout.write(`{"shard":${shard},${line.slice(1)}`));
}
