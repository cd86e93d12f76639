import { changesSection } from './changes-section.ts';
import { columnsSection } from './columns-section.ts';
import { coverageSection } from './coverage-section.ts';
import { esc } from './html.ts';
import type { ReviewModel } from './review-model.ts';
import { runSection } from './run-section.ts';
import { snapshotBlock, snapshotOf } from './snapshot.ts';
import { STYLES } from './styles.ts';
import { summarySection } from './summary-section.ts';
import { verifySection } from './verify-section.ts';

/**
 * Nothing may be fetched: no script runs, styles and charts are inline. The browser enforces it
 * too, so the page shows the same offline, attached to a ticket, or years later.
 */
const POLICY = "default-src 'none'; style-src 'unsafe-inline'";

/** The whole page: one file, no script, no network; the data block lets the next report compare. */
export function renderPage(model: ReviewModel): string {
  const title = `masque privacy report: ${model.rulesFile}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${POLICY}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title><style>${STYLES}</style>`,
    snapshotBlock(snapshotOf(model)),
    '</head><body><main>',
    summarySection(model),
    changesSection(model),
    coverageSection(model),
    runSection(model),
    verifySection(model),
    columnsSection(model),
    footer(model),
    '</main></body></html>',
    '',
  ].join('\n');
}

function footer(model: ReviewModel): string {
  const sample = model.sampleSize
    ? `its value signals from up to ${model.sampleSize} sampled rows per table, which are tested and never kept`
    : 'names only (no rows sampled)';
  return (
    '<footer>Written by <code>masque report</code>. ' +
    'States come from the rules as <code>masque run</code> would apply ' +
    `them to the live source, and from <code>masque scan</code>'s signals (${esc(sample)}). ` +
    'This page holds names, rules, reasons, counts and timings: no source value and no secret' +
    (model.examples
      ? '; the masked examples were asked for with --examples and differ from their source values.'
      : '.') +
    '</footer>'
  );
}
