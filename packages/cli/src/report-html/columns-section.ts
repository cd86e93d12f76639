import { stateById } from './column-states.ts';
import { count, dot, esc } from './html.ts';
import type { ReviewColumn, ReviewModel, ReviewTable } from './review-model.ts';

/**
 * Every column of every table: its state, its rule, the reason (the rules file's comment, and
 * scan's reason), what verify found, and masked examples when asked for.
 */
export function columnsSection(model: ReviewModel): string {
  const tables = model.tables.map((t, i) => tableDetail(model, t, i));
  return `<section id="columns"><h2>Every column</h2>${tables.join('')}</section>`;
}

function tableDetail(model: ReviewModel, table: ReviewTable, index: number): string {
  const about = [
    table.section ? `section: ${esc(table.section)}` : '',
    table.comment ? esc(table.comment) : '',
    table.skip ? '<b>skipped</b>: no rows copied, the target table is emptied' : '',
    table.where !== undefined ? `rows where <code>${esc(table.where)}</code>` : '',
    table.run ? `${count(table.run.rows)} rows copied` : '',
    table.verify
      ? `verify: ${count(table.verify.targetRows)} of ${count(table.verify.sourceRows)} rows in the target`
      : '',
    ...table.findings.map((f) => `<span class="verify-finding">${esc(f.kind)}: ${esc(f.message)}</span>`),
  ].filter(Boolean);
  const head = ['column', 'type', 'state', 'rule', 'reason', ...(model.verify ? ['verify'] : [])];
  if (model.examples) head.push('masked examples');
  return (
    `<div class="table-detail" id="t${index}"><h3><code>${esc(table.table)}</code> ` +
    `<small>${count(table.columns.length)} columns</small></h3>` +
    (about.length ? `<p class="note">${about.join(' · ')}</p>` : '') +
    `<table class="cols"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead>` +
    `<tbody>${table.columns.map((c) => columnRow(model, c)).join('')}</tbody></table></div>`
  );
}

function columnRow(model: ReviewModel, column: ReviewColumn): string {
  const state = stateById(column.state)!;
  const reason = [
    column.comment ? `<b>rules:</b> ${esc(column.comment)}` : '',
    ...column.signals.map((s) => `<b>scan:</b> ${esc(s.reason)}`),
  ].filter(Boolean);
  const cells = [
    `<td><code>${esc(column.column)}</code></td>`,
    `<td class="note">${esc(column.dataType)}</td>`,
    `<td class="state" data-state="${state.id}">${dot(state.color)}${esc(state.label)}</td>`,
    `<td class="rule">${esc(column.rule)}</td>`,
    `<td class="reason">${reason.join('<br>')}</td>`,
  ];
  if (model.verify) {
    const v = column.verify;
    cells.push(v ? `<td class="verify-${v.status}">${esc(v.text)}</td>` : '<td></td>');
  }
  if (model.examples)
    cells.push(`<td class="examples">${(column.examples ?? []).map((e) => `<code>${esc(e)}</code>`).join(', ')}</td>`);
  return `<tr${state.concern ? ' class="concern"' : ''}>${cells.join('')}</tr>`;
}
