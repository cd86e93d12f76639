import { COLUMN_STATES, stateById } from './column-states.ts';
import { count, dot, esc } from './html.ts';
import type { ReviewModel, ReviewTable } from './review-model.ts';
import { concerns, detected, stateCounts } from './state-counts.ts';
import { stackedBar } from './svg.ts';

const BAR_WIDTH = 160;

/**
 * Coverage at a glance: the legend with the totals, then one bar per table of its columns by
 * state, with the counts beside it. Each count cell carries `data-state`, so a test (or a
 * script) reads the figures the reviewer sees.
 */
export function coverageSection(model: ReviewModel): string {
  const totals = stateCounts(model.tables);
  const legend = COLUMN_STATES.map((state) => {
    const note = detected(state) ? state.meaning : `${state.meaning} (not detected by scan yet)`;
    const n = detected(state) ? count(totals.get(state.id) ?? 0) : 'n/a';
    return (
      `<li data-state="${state.id}">${dot(state.color)}` +
      `<b>${esc(state.label)}</b>: <span class="total">${n}</span><small>${esc(note)}</small></li>`
    );
  });
  const head = COLUMN_STATES.map((s) => `<th class="n" title="${esc(s.meaning)}">${dot(s.color)}${esc(s.short)}</th>`);
  const rows = model.tables.map((table, i) => coverageRow(table, i));
  const all = model.tables.reduce((n, t) => n + t.columns.length, 0);
  const foot =
    `<tr data-table="*"><th>all ${count(model.tables.length)} tables</th>` +
    `<td>${bar(totals, 'all tables')}</td><td class="n" data-state="total">${count(all)}</td>` +
    COLUMN_STATES.map((s) => countCell(s.id, totals.get(s.id) ?? 0)).join('') +
    '</tr>';
  return (
    '<section id="coverage"><h2>Coverage</h2>' +
    `<ul class="legend">${legend.join('')}</ul>` +
    '<table class="coverage"><thead><tr><th>table</th><th>columns by state</th><th class="n">columns</th>' +
    `${head.join('')}</tr></thead>` +
    `<tbody>${rows.join('')}</tbody><tfoot>${foot}</tfoot></table></section>` +
    lookSection(model) +
    problemsSection(model)
  );
}

function coverageRow(table: ReviewTable, index: number): string {
  const counts = stateCounts([table]);
  const skipped = table.skip ? ' <small>(skipped)</small>' : '';
  const name = `<a href="#t${index}"><code>${esc(table.table)}</code></a>${skipped}`;
  return (
    `<tr data-table="${esc(table.table)}"><th>${name}</th><td>${bar(counts, table.table)}</td>` +
    `<td class="n" data-state="total">${count(table.columns.length)}</td>` +
    COLUMN_STATES.map((s) => countCell(s.id, counts.get(s.id) ?? 0)).join('') +
    '</tr>'
  );
}

const countCell = (state: string, n: number): string =>
  `<td class="n${n ? '' : ' zero'}" data-state="${state}">${count(n)}</td>`;

function bar(counts: Map<string, number>, label: string): string {
  const segments = COLUMN_STATES.map((s) => ({
    value: counts.get(s.id) ?? 0,
    color: s.color,
    title: `${s.label}: ${counts.get(s.id) ?? 0}`,
  }));
  const summary = segments
    .filter((s) => s.value)
    .map((s) => s.title)
    .join(', ');
  return stackedBar(segments, BAR_WIDTH, 16, `${label}: ${summary}`);
}

/** Every column in a state of concern, with what the rules and scan say about it. */
function lookSection(model: ReviewModel): string {
  const items = concerns(model);
  if (!items.length)
    return '<section id="look"><h2>Needs a look</h2><p>No column is kept while looking personal.</p></section>';
  const rows = items.map(({ table, column }) => {
    const state = stateById(column.state)!;
    const why = [
      ...column.signals.map((s) => `<b>scan:</b> ${esc(s.reason)}`),
      column.comment ? `<b>rules:</b> ${esc(column.comment)}` : '',
    ].filter(Boolean);
    return (
      `<tr class="concern" data-column="${esc(`${table.table}.${column.column}`)}">` +
      `<td><code>${esc(table.table)}.${esc(column.column)}</code></td>` +
      `<td class="state">${dot(state.color)}${esc(state.label)}</td>` +
      `<td class="rule">${esc(column.rule)}</td><td class="reason">${why.join('<br>')}</td></tr>`
    );
  });
  return (
    `<section id="look"><h2>Needs a look: ${items.length} column(s)</h2>` +
    '<p class="note">Columns that reach staging as they are while scan says they look personal (or no rule ' +
    'names them). Mask them, or say in a comment beside the rule why keeping them is right.</p>' +
    '<table><thead><tr><th>column</th><th>state</th><th>rule</th><th>why it is listed</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** `masque check`'s errors and warnings for these rules against the live source. */
function problemsSection(model: ReviewModel): string {
  const rows = [
    ...model.configErrors.map(
      (e) => `<tr><td><span class="sev error">error</span></td><td colspan="2">${esc(e)}</td></tr>`,
    ),
    ...model.problems.map(
      (p) =>
        `<tr><td><span class="sev ${p.severity}">${p.severity}</span></td><td><code>${esc(p.subject)}</code></td>` +
        `<td>${esc(p.message)}${p.place ? ` <span class="note">(${esc(placeText(p.place))})</span>` : ''}</td></tr>`,
    ),
  ];
  if (!rows.length) return '';
  return (
    `<section id="check"><h2>masque check: ${rows.length} problem(s)</h2>` +
    '<table><thead><tr><th>severity</th><th>subject</th><th>problem</th></tr></thead>' +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

const placeText = (place: { file: string; line: number; column: number }): string =>
  `${place.file}:${place.line}:${place.column}`;
