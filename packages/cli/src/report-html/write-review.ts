import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../report/write-atomic.ts';
import { collectReview, type ReviewRequest } from './collect-review.ts';
import { renderPage } from './render-page.ts';
import type { ReviewModel } from './review-model.ts';
import { refuseSecret } from './secret-guard.ts';
import { readSnapshot } from './snapshot.ts';

export interface WrittenReview {
  model: ReviewModel;
  bytes: number;
}

/**
 * Builds the page and writes it to `file` atomically. Without a previous report, the page being
 * replaced is the previous one, so a nightly `--report-html` shows what changed since last night.
 * The secret, when known, is looked for in the page in every form it could be written in, and
 * a page that holds it is not written.
 */
export async function writeReviewPage(
  file: string,
  request: ReviewRequest & { secret?: string | undefined },
): Promise<WrittenReview> {
  const { secret, ...rest } = request;
  const previous = rest.previous ?? (existsSync(file) ? readSnapshot(readFileSync(file, 'utf8')) : undefined);
  const model = await collectReview({ ...rest, ...(previous && { previous }) });
  const html = renderPage(model);
  refuseSecret(html, secret, file);
  writeFileAtomic(file, html);
  return { model, bytes: Buffer.byteLength(html) };
}
