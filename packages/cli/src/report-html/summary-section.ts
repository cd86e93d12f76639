import { count, esc, percent } from './html.ts';
import type { ReviewModel } from './review-model.ts';
import { concerns, stateCounts } from './state-counts.ts';

/** The title, where the page comes from, and the figures a reviewer wants before anything else. */
export function summarySection(model: ReviewModel): string {
  const columns = model.tables.reduce((n, t) => n + t.columns.length, 0);
  const counts = stateCounts(model.tables);
  const copied = columns - (counts.get('not-copied') ?? 0);
  const masked = counts.get('masked') ?? 0;
  const look = concerns(model).length;
  const high = model.changes?.items.filter((c) => c.severity === 'high').length ?? 0;
  const errors = model.configErrors.length + model.problems.filter((p) => p.severity === 'error').length;
  const tiles = [
    tile(count(columns), `columns in ${count(model.tables.length)} tables`),
    tile(count(masked), `masked (${percent(masked, copied)} of the columns copied)`, 'good', 'masked'),
    tile(count(look), 'columns need a look', look ? 'bad' : 'good', 'concern'),
    model.changes
      ? tile(count(model.changes.items.length), `changes since the last report, ${high} serious`, high ? 'bad' : '')
      : tile('–', 'changes: no previous report given'),
    model.run
      ? tile(model.run.status, `run: exit ${model.run.exitCode}, ${count(model.run.rows)} rows`, runClass(model))
      : tile('–', 'run: no run report given'),
    model.verify
      ? tile(
          count(model.verify.findings.length),
          'verify findings',
          model.verify.findings.length ? 'bad' : 'good',
          'verify',
        )
      : tile('–', 'verify: no verify report given'),
  ];
  if (errors) tiles.splice(2, 0, tile(count(errors), 'errors between the rules and the source', 'bad', 'errors'));
  const meta = [
    `rules <code>${esc(model.rulesFile)}</code>`,
    model.source ? `source <code>${esc(model.source)}</code>` : '',
    `written ${esc(model.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}`,
    model.strict ? 'strict' : '<b>not strict</b>: columns no rule names are copied unchanged',
  ].filter(Boolean);
  return (
    `<header><h1>masque privacy report</h1><p class="meta">${meta.map((m) => `<span>${m}</span>`).join('')}</p>` +
    `<div class="tiles">${tiles.join('')}</div></header>`
  );
}

const runClass = (model: ReviewModel): string => (model.run?.status === 'ok' ? 'good' : 'bad');

function tile(value: string, text: string, kind = '', id = ''): string {
  const data = id ? ` data-tile="${id}"` : '';
  return `<div class="tile${kind ? ` ${kind}` : ''}"${data}><b>${esc(value)}</b><span>${esc(text)}</span></div>`;
}
