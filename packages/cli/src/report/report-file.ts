import type { RunReport } from './run-report.ts';
import { writeFileAtomic } from './write-atomic.ts';

/** `--report FILE`: the run report as indented JSON, replaced atomically so a reader never sees half. */
export function writeReport(file: string, report: RunReport): void {
  writeFileAtomic(file, `${JSON.stringify(report, null, 2)}\n`);
}
