import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError, RuntimeError } from '@masque/core';
import { writeMetrics } from './prometheus.ts';
import { writeReport } from './report-file.ts';
import type { RunReport } from './run-report.ts';

/** Where `run` leaves its figures for machines: `--report FILE` (JSON) and `--metrics FILE` (Prometheus). */
export interface OutputFiles {
  report?: string;
  metrics?: string;
}

const writers = { report: writeReport, metrics: writeMetrics } as const;

/**
 * Checks before the run that each file can be written, so a typo in a path fails at once (exit 2)
 * instead of after hours of copying, with nothing to show for them.
 */
export function checkOutputFiles(files: OutputFiles): void {
  for (const [flag, file] of entries(files)) {
    const folder = dirname(resolve(file));
    try {
      accessSync(folder, constants.W_OK);
    } catch (error) {
      throw new ConfigError(`--${flag} ${file}: cannot write in ${folder} (${(error as NodeJS.ErrnoException).code})`);
    }
    if (statSync(file, { throwIfNoEntry: false })?.isDirectory())
      throw new ConfigError(`--${flag} ${file}: is a folder, expected a file name`);
  }
}

/**
 * Writes every file asked for; the first that cannot be written is a RuntimeError (exit 3), after
 * trying the others.
 */
export function writeOutputFiles(files: OutputFiles, report: RunReport): void {
  let failure: RuntimeError | undefined;
  for (const [flag, file] of entries(files)) {
    try {
      writers[flag](file, report);
    } catch (error) {
      failure ??= new RuntimeError(`--${flag} ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  if (failure) throw failure;
}

function entries(files: OutputFiles): ['report' | 'metrics', string][] {
  return (['report', 'metrics'] as const).flatMap((flag) =>
    files[flag] ? [[flag, files[flag]] as ['report' | 'metrics', string]] : [],
  );
}
