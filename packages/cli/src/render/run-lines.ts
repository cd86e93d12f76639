import { formatCount, formatDuration, shortenUrl, urlForms, wrapText } from './format.ts';
import type { SummaryFigures } from './summary-table.ts';

const plural = (n: number, one: string) => `${formatCount(n)} ${one}${n === 1 ? '' : 's'}`;
/** The shortest form of a URL that still names its database: shorter, a line wraps instead. */
const shortest = (url: string) => urlForms(url).at(-1)!.length;

/**
 * The opening line of a run: `masque: SOURCE → TARGET, N table(s)`. On a terminal too narrow for
 * it, the URLs share the room (see urlForms for how they shorten), and the target goes on a line
 * of its own when even `postgres://…/db` is too long.
 */
export function startLine(source: string, target: string, tables: number, width?: number): string[] {
  const line = (s: string, t: string) => `masque: ${s} → ${t}, ${tables} table(s)`;
  if (!width || line(source, target).length <= width) return [line(source, target)];
  const room = width - line('', '').length;
  const s = shortenUrl(source, Math.max(shortest(source), Math.floor(room / 2), room - target.length));
  const t = shortenUrl(target, Math.max(shortest(target), room - s.length));
  if (line(s, t).length <= width) return [line(s, t)];
  return [`masque: ${s} →`, `  ${t}, ${tables} table(s)`].flatMap((l) => wrapText(l, width, '  '));
}

/**
 * The last line of a successful run, one plain sentence of what happened: `Refreshed 14 tables
 * (1,234 rows, 9 masked columns) into postgres://…/staging in 3.2 s.` Wrapped, not cut, to `width`.
 */
export function doneSentence(summary: SummaryFigures, target: string, width?: number): string[] {
  const masked = summary.tables.reduce((n, t) => n + t.maskedColumns.length, 0);
  const skipped = summary.tables.filter((t) => t.skipped).length;
  const figures = [
    plural(summary.rows, 'row'),
    plural(masked, 'masked column'),
    ...(skipped ? [`${skipped} emptied`] : []),
  ].join(', ');
  const tables = plural(summary.tables.length, 'table');
  const sentence = (url: string) =>
    `Refreshed ${tables} (${figures}) into ${url} in ${formatDuration(summary.seconds)}.`;
  const url = width ? shortenUrl(target, Math.max(shortest(target), width - sentence('').length)) : target;
  return wrapText(sentence(url), width);
}
