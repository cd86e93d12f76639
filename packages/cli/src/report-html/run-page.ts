import type { Rules } from '@masque/core';
import type { RunReport } from '../report/run-report.ts';
import { DEFAULT_SAMPLE } from './collect-review.ts';
import { writeReviewPage } from './write-review.ts';

/**
 * `masque run --report-html FILE`: the reviewer's page with the run just made, written after it
 * whatever its outcome. It compares with the page it replaces, so a nightly run's page shows
 * what changed since the night before.
 */
export async function writeRunPage(file: string, rules: Rules, run: RunReport): Promise<void> {
  await writeReviewPage(file, { rules, secret: rules.secret, sampleSize: DEFAULT_SAMPLE, run });
}
