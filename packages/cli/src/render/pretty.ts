import type { RunListener, RunSummary } from '@masque/core';
import { formatProblem } from '@masque/core';

const number = new Intl.NumberFormat('en');

/** A live line per table on a terminal, then a summary table. */
export function prettyReporter(stream: NodeJS.WriteStream = process.stderr): RunListener {
  const live = stream.isTTY;
  let started = 0;
  return (event) => {
    switch (event.type) {
      case 'warning':
        stream.write(`${formatProblem(event.problem)}\n`);
        break;
      case 'start':
        stream.write(`masque: ${event.source} → ${event.target}, ${event.tables} table(s)\n`);
        break;
      case 'table-start':
        started = Date.now();
        break;
      case 'table-progress':
        if (live) {
          const rate = event.rows / Math.max((Date.now() - started) / 1000, 0.001);
          stream.write(`\r\x1b[K  ${event.table}: ${number.format(event.rows)} rows, ${number.format(Math.round(rate))} rows/s`);
        }
        break;
      case 'table-done':
        if (live) stream.write('\r\x1b[K');
        stream.write(`  ${event.summary.table}: ${event.summary.skipped ? 'skipped (emptied)' : `${number.format(event.summary.rows)} rows`} in ${event.summary.seconds.toFixed(2)} s\n`);
        break;
      case 'commit':
        stream.write('  committing: checking foreign keys, moving sequences\n');
        break;
      case 'done':
        stream.write(summaryTable(event.summary));
    }
  };
}

export function summaryTable(summary: RunSummary): string {
  const rows = summary.tables.map((t) => [t.table, number.format(t.rows), t.seconds.toFixed(2), t.maskedColumns.join(', ') || '—']);
  const header = ['table', 'rows', 'seconds', 'masked columns'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 1 || i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line),
    `${number.format(summary.rows)} rows in ${summary.tables.length} tables, ${summary.seconds.toFixed(2)} s`, ''].join('\n');
}
