import { esc } from './html.ts';
import type { ReviewModel } from './review-model.ts';

/**
 * What changed since the previous report, framed to be read first: a column that is no longer
 * masked, a new column that reaches staging looking personal, a run or verify that now fails.
 */
export function changesSection(model: ReviewModel): string {
  if (!model.changes) return '';
  const { since, items } = model.changes;
  const when = esc(since.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'));
  if (!items.length)
    return `<section class="first" id="changes"><h2>Read first: changes since ${when}</h2><p>None.</p></section>`;
  const rows = items.map(
    (c) =>
      `<tr data-severity="${c.severity}"><td><span class="sev ${c.severity}">${c.severity}</span></td>` +
      `<td><code>${esc(c.subject)}</code></td><td>${esc(c.text)}</td></tr>`,
  );
  return (
    `<section class="first" id="changes"><h2>Read first: ${items.length} change(s) since ${when}</h2>` +
    '<table><thead><tr><th>severity</th><th>what</th><th>change</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}
