import { count, duration, esc, percent, size } from './html.ts';
import type { ReviewModel } from './review-model.ts';
import { barChart } from './svg.ts';

type RunTable = NonNullable<ReviewModel['run']>['tables'][number] & { sourceRows?: number };

/**
 * The run: how it ended, how long the switch to the new rows took, and per table the rows,
 * bytes and seconds with a chart of throughput. A subset's "kept of source rows" shows when
 * the run report carries each table's `sourceRows`.
 */
export function runSection(model: ReviewModel): string {
  const run = model.run;
  if (!run)
    return (
      '<section id="run"><h2>The run</h2><p class="note">No run report given: pass <code>--run-report FILE</code> ' +
      '(written by <code>masque run --report FILE</code>), ' +
      'or write this page with <code>masque run --report-html FILE</code>.</p></section>'
    );
  const tables = run.tables as RunTable[];
  const subset = tables.some((t) => typeof t.sourceRows === 'number');
  const facts = [
    [
      'status',
      `<b class="${run.status === 'ok' ? 'verify-clean' : 'verify-finding'}" data-run-status>${esc(run.status)}</b> ` +
        `(exit ${run.exitCode})`,
    ],
    ...(run.error ? [['reason', esc(run.error)]] : []),
    ['started', esc(run.startedAt)],
    ['took', esc(duration(run.seconds))],
    ['cut-over', run.cutoverSeconds === undefined ? 'not reached' : esc(duration(run.cutoverSeconds))],
    [
      'copied',
      `<span data-run-rows>${count(run.rows)}</span> rows, ${esc(size(run.bytes))} in ${count(tables.length)} tables`,
    ],
    ...(run.target ? [['target', `<code>${esc(run.target)}</code>`]] : []),
  ];
  const rows = tables.map((t) => {
    const kept = subset ? `<td class="n">${keptOf(t)}</td>` : '';
    const note = t.skipped ? ' <small>(skipped)</small>' : t.resumed ? ' <small>(resumed: staged before)</small>' : '';
    return (
      `<tr data-table="${esc(t.table)}"><td><code>${esc(t.table)}</code>${note}</td>` +
      `<td class="n" data-rows>${count(t.rows)}</td>${kept}<td class="n">${esc(size(t.bytes))}</td>` +
      `<td class="n">${esc(duration(t.seconds))}</td><td class="n">${esc(rate(t))}</td>` +
      `<td class="n">${count(t.maskedColumns.length)}</td></tr>`
    );
  });
  const chart = barChart(
    tables.map((t) => ({
      label: t.table,
      value: measurable(t) ? t.rows / t.seconds : 0,
      text: rate(t),
      muted: !measurable(t),
    })),
    760,
    'rows per second per table',
  );
  return (
    '<section id="run"><h2>The run</h2>' +
    `<table class="facts"><tbody>${facts.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}` +
    '</tbody></table>' +
    '<h3>Per table</h3><table><thead><tr><th>table</th><th class="n">rows</th>' +
    (subset ? '<th class="n">kept of source rows</th>' : '') +
    '<th class="n">bytes</th><th class="n">seconds</th><th class="n">throughput</th>' +
    '<th class="n">masked columns</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table>` +
    `<h3>Throughput per table (rows per second)</h3>${chart}</section>`
  );
}

/** A table whose time says something about its speed: copied here, not skipped or resumed, and not instant. */
const measurable = (t: RunTable): boolean => !t.skipped && !t.resumed && t.seconds > 0 && t.rows > 0;

function rate(t: RunTable): string {
  if (t.skipped) return 'skipped';
  if (t.resumed) return 'resumed';
  if (!measurable(t)) return '–';
  return `${count(Math.round(t.rows / t.seconds))} rows/s`;
}

/** A subset's share of the source's rows, when the run report says how many the source had. */
const keptOf = (t: RunTable): string =>
  typeof t.sourceRows === 'number'
    ? `${count(t.rows)} of ${count(t.sourceRows)} (${percent(t.rows, t.sourceRows)})`
    : '–';
