import type { TableSummary } from '@masque/core';
import { fitWidth, formatBytes, formatCount, wrapText } from './format.ts';

/** The figures a summary table needs: the core's RunSummary and the CLI's RunReport both have them. */
export interface SummaryFigures {
  rows: number;
  bytes: number;
  seconds: number;
  tables: TableSummary[];
}

const GAP = '  ';
/** Columns aligned right (numbers). */
const numeric = new Set([1, 2, 3]);
/** Narrower than this, the masked columns are listed below the table rather than squeezed into a cell. */
const MIN_MASKED_CELL = 24;
const MIN_NAME_CELL = 12;

/**
 * The table printed at the end of a run: per table rows (a subset's as `kept of source rows`),
 * bytes, seconds and masked columns, then the totals (seconds there is the whole run, commit
 * included). It is where a reviewer sees what was masked, so every masked column is named,
 * whatever the width. Given a terminal `width`, no line is wider: the masked columns wrap inside
 * their cell, or, on a terminal too narrow for a readable cell, are listed below the table; long
 * table names wrap too.
 */
export function summaryTable(summary: SummaryFigures, width?: number): string {
  const count = summary.tables.length;
  const header = ['table', 'rows', 'bytes', 'seconds', 'masked columns'];
  const body = summary.tables.map((t) => [
    t.table,
    t.skipped ? 'skipped' : keptOf(t.rows, t.sourceRows, t.sourceRowsEstimated),
    formatBytes(t.bytes),
    t.seconds.toFixed(2),
    t.maskedColumns.length ? `${t.maskedColumns.length}: ${t.maskedColumns.join(', ')}` : '—',
  ]);
  const masked = summary.tables.reduce((n, t) => n + t.maskedColumns.length, 0);
  const subset = summary.tables.some((t) => t.sourceRows !== undefined);
  const sourceRows = summary.tables.reduce((n, t) => n + (t.skipped ? 0 : (t.sourceRows ?? t.rows)), 0);
  const total = [
    `total (${count} ${count === 1 ? 'table' : 'tables'})`,
    subset
      ? keptOf(
          summary.rows,
          sourceRows,
          summary.tables.some((t) => t.sourceRowsEstimated),
        )
      : formatCount(summary.rows),
    formatBytes(summary.bytes),
    summary.seconds.toFixed(2),
    String(masked),
  ];
  const natural = (rows: string[][]) => header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  let widths = natural([total, ...body]);
  const numbers = widths[1]! + widths[2]! + widths[3]! + GAP.length * 4;
  let below: string[] = [];
  if (width && widths.reduce((a, b) => a + b) + GAP.length * 4 > width) {
    const spare = width - numbers;
    if (spare >= MIN_NAME_CELL + MIN_MASKED_CELL) {
      widths[4] = Math.max(MIN_MASKED_CELL, spare - widths[0]!);
    } else {
      header[4] = 'masked';
      summary.tables.forEach((t, i) => {
        body[i]![4] = t.maskedColumns.length ? String(t.maskedColumns.length) : '—';
      });
      widths = natural([total, ...body]);
      const lists = summary.tables.filter((t) => t.maskedColumns.length);
      below = [
        '',
        'masked columns:',
        ...lists.flatMap((t) => wrapText(`  ${t.table}: ${t.maskedColumns.join(', ')}`, width, '    ')),
      ];
    }
    widths[0] = Math.max(1, Math.min(widths[0]!, width - numbers - widths[4]!));
  }
  /** One row of cells, as many lines as its tallest wrapped cell. */
  const lines = (cells: string[]): string[] => {
    // `12: LastName, FirstName, …` continues under the first name.
    const hanging = (c: string) => ' '.repeat(c.indexOf(': ') + 2);
    const wrapped = cells.map((c, i) =>
      i === 0 ? wrapText(c, widths[0], '') : i === 4 ? wrapText(c, widths[4], hanging(c)) : [c],
    );
    const cell = (k: number) => (w: string[], i: number) =>
      numeric.has(i) ? (w[k] ?? '').padStart(widths[i]!) : (w[k] ?? '').padEnd(widths[i]!);
    // fitWidth cuts only on a terminal narrower than the numbers (about 35 columns); the masked
    // columns are listed in full below the table then.
    return Array.from({ length: Math.max(...wrapped.map((w) => w.length)) }, (_, k) =>
      fitWidth(wrapped.map(cell(k)).join(GAP).trimEnd(), width),
    );
  };
  const rule = lines(widths.map((w) => '─'.repeat(w)));
  return [...lines(header), ...rule, ...body.flatMap(lines), ...rule, ...lines(total), ...below, ''].join('\n');
}

/** A subset's rows: `68 of 599` where it kept some of the source's rows (`~` an estimate), else the count. */
function keptOf(rows: number, sourceRows: number | undefined, estimated = false): string {
  if (sourceRows === undefined || (sourceRows === rows && !estimated)) return formatCount(rows);
  return `${formatCount(rows)} of ${estimated ? '~' : ''}${formatCount(sourceRows)}`;
}
