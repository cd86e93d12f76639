import type { TableSummary } from '@masque/core';
import { fitWidth, formatBytes, formatCount } from './format.ts';

/** The figures a summary table needs: the core's RunSummary and the CLI's RunReport both have them. */
export interface SummaryFigures {
  rows: number;
  bytes: number;
  seconds: number;
  tables: TableSummary[];
}

const header = ['table', 'rows', 'bytes', 'seconds', 'masked columns'];
/** Columns aligned right (numbers). */
const numeric = new Set([1, 2, 3]);

/**
 * The table printed at the end of a run: per table rows, bytes, seconds and masked columns, then
 * the totals (seconds there is the whole run, commit included). `width` cuts long lines on a terminal.
 */
export function summaryTable(summary: SummaryFigures, width?: number): string {
  const body = summary.tables.map((t) => [
    t.table,
    t.skipped ? 'skipped' : formatCount(t.rows),
    formatBytes(t.bytes),
    t.seconds.toFixed(2),
    t.maskedColumns.length ? `${t.maskedColumns.length}: ${t.maskedColumns.join(', ')}` : '—',
  ]);
  const masked = summary.tables.reduce((n, t) => n + t.maskedColumns.length, 0);
  const count = summary.tables.length;
  const total = [`total (${count} ${count === 1 ? 'table' : 'tables'})`, formatCount(summary.rows), formatBytes(summary.bytes), summary.seconds.toFixed(2), String(masked)];
  const widths = header.map((h, i) => Math.max(h.length, total[i]!.length, ...body.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    fitWidth(cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd(), width);
  const rule = line(widths.map((w) => '─'.repeat(w)));
  return [line(header), rule, ...body.map(line), rule, line(total), ''].join('\n');
}
