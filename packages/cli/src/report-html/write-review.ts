import { existsSync, readFileSync } from 'node:fs';
import { RuntimeError } from '@masque/core';
import { writeFileAtomic } from '../report/write-atomic.ts';
import { collectReview, type ReviewRequest } from './collect-review.ts';
import { esc } from './html.ts';
import { renderPage } from './render-page.ts';
import type { ReviewModel } from './review-model.ts';
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
  if (secret && holds(html, secret)) throw new RuntimeError(`${file}: the page would contain the secret; not written`);
  writeFileAtomic(file, html);
  return { model, bytes: Buffer.byteLength(html) };
}

function holds(html: string, secret: string): boolean {
  const forms = [secret, esc(secret), JSON.stringify(secret).slice(1, -1)];
  return forms.some((form) => html.includes(form));
}
