import type { TableSummary } from '@masque/core';
import { formatBytes, formatClock, formatCount } from './format.ts';

/** What the live display knows of a table being copied. */
export interface TableProgress {
  table: string;
  /** The source's row estimate; 0 or less (PostgreSQL before ANALYZE) counts as unknown. */
  estimatedRows?: number;
  rows: number;
  bytes: number;
  /** When the table started, in ms (Date.now()). */
  startedAt: number;
}

const BAR_WIDTH = 20;
const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** `[████████░░░░░░░░░░░░]`, filled to `fraction` (0..1). */
export function bar(fraction: number): string {
  const filled = Math.floor(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}]`;
}

/** One spinner frame; `frame` counts redraws. */
export function spinner(frame: number): string {
  return SPINNER[frame % SPINNER.length]!;
}

/**
 * The live line of a table: a bar with percent and ETA when the source estimated its rows, or a
 * spinner and a row counter when it did not (or when the estimate proved too low: stale
 * statistics), since an ETA from a wrong estimate would be worse than none.
 */
export function progressLine(p: TableProgress, now: number, nameWidth: number, frame: number): string {
  const seconds = Math.max((now - p.startedAt) / 1000, 0.001);
  const rate = p.rows / seconds;
  const speed = `${formatCount(rate)} rows/s`;
  const name = `  ${p.table.padEnd(nameWidth)}  `;
  const estimate = p.estimatedRows ?? 0;
  if (estimate > 0 && p.rows <= estimate) {
    const fraction = p.rows / estimate;
    const eta = p.rows > 0 ? formatClock((estimate - p.rows) / rate) : '-:--';
    const percent = `${String(Math.floor(fraction * 100)).padStart(3)}%`;
    const rows = `${formatCount(p.rows)}/${formatCount(estimate)} rows`;
    return `${name}${bar(fraction)} ${percent}  ${rows}  ${speed}  ETA ${eta}`;
  }
  return `${name}${spinner(frame)} ${formatCount(p.rows)} rows  ${speed}  ${formatClock(seconds)} elapsed`;
}

/** The line a table leaves behind once copied: a full bar, rows, bytes and time. */
export function doneLine(summary: TableSummary, nameWidth: number): string {
  const name = `  ${summary.table.padEnd(nameWidth)}  `;
  if (summary.skipped) return `${name}skipped (table emptied)`;
  if (summary.resumed) return `${name}${bar(1)} 100%  ${formatCount(summary.rows)} rows  staged by the interrupted run`;
  const size = `${formatBytes(summary.bytes)}  ${summary.seconds.toFixed(2)} s`;
  // A subset's table: the rows kept of the source's.
  const { sourceRows: of, sourceRowsEstimated: about } = summary;
  const kept = of !== undefined && of !== summary.rows ? ` of ${about ? '~' : ''}${formatCount(of)}` : '';
  return `${name}${bar(1)} 100%  ${formatCount(summary.rows)}${kept} rows  ${size}`;
}
