import { count, esc } from './html.ts';
import type { ReviewModel } from './review-model.ts';

/** `masque verify`'s results: findings (never values), per-table counts, and what it did not leak-check. */
export function verifySection(model: ReviewModel): string {
  const verify = model.verify;
  if (!verify)
    return (
      '<section id="verify"><h2>Verify</h2><p class="note">' +
      'No verify report given: pass <code>--verify-report FILE</code> ' +
      '(written by <code>masque verify --report FILE</code> after the run).</p></section>'
    );
  const findings = verify.findings.map(
    (f) =>
      `<tr data-finding="${esc(f.kind)}"><td><span class="sev high">${esc(f.kind)}</span></td>` +
      `<td><code>${esc(f.subject)}</code></td><td class="n">${count(f.count)}</td><td>${esc(f.message)}</td></tr>`,
  );
  const verdict = verify.findings.length
    ? `<p class="verify-finding"><span data-verify-findings>${verify.findings.length}</span> finding(s).</p>`
    : '<p class="verify-clean"><span data-verify-findings>0</span> findings: row counts, foreign keys, unique keys ' +
      'and the leak check of masked columns all hold.</p>';
  const tables = verify.tables.map(
    (t) =>
      `<tr><td><code>${esc(t.table)}</code></td><td class="n">${count(t.sourceRows)}</td>` +
      `<td class="n">${count(t.targetRows)}</td><td class="n">${count(t.sampledRows)}</td></tr>`,
  );
  const unchecked = verify.notLeakChecked.map((u) => `<li><code>${esc(u.subject)}</code>: ${esc(u.reason)}</li>`);
  return (
    '<section id="verify"><h2>Verify</h2>' +
    verdict +
    (findings.length
      ? '<table><thead><tr><th>kind</th><th>subject</th><th class="n">rows</th><th>finding</th></tr></thead>' +
        `<tbody>${findings.join('')}</tbody></table>`
      : '') +
    (unchecked.length ? `<p>Masked but not leak-checked:</p><ul>${unchecked.join('')}</ul>` : '') +
    `<p class="note">Values compared on samples of up to ${count(verify.sampleSize)} rows per table; ` +
    'row counts are exact.</p>' +
    '<h3>Rows per table</h3><table><thead><tr><th>table</th><th class="n">source rows</th>' +
    '<th class="n">target rows</th><th class="n">rows compared</th></tr></thead>' +
    `<tbody>${tables.join('')}</tbody></table></section>`
  );
}
