import { esc } from './html.ts';

/**
 * Charts as plain inline SVG: no library, no script, nothing fetched; they print as they show.
 * Every shape carries a <title>, so a hover (or a screen reader) says what it stands for.
 */

export interface Segment {
  value: number;
  color: string;
  title: string;
}

/** One horizontal bar split into segments in proportion to their values. */
export function stackedBar(segments: readonly Segment[], width: number, height: number, label: string): string {
  const total = segments.reduce((n, s) => n + s.value, 0);
  let x = 0;
  const rects = segments
    .filter((s) => s.value > 0)
    .map((s) => {
      const w = total ? (s.value / total) * width : 0;
      const rect =
        `<rect x="${round(x)}" y="0" width="${round(w)}" height="${height}" fill="${s.color}">` +
        `<title>${esc(s.title)}</title></rect>`;
      x += w;
      return rect;
    });
  return (
    `<svg class="bar" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    // Stretches to whatever width the style sheet gives it (narrower on paper).
    'preserveAspectRatio="none" role="img" ' +
    `aria-label="${esc(label)}"><rect width="${width}" height="${height}" fill="#eef1f4"/>${rects.join('')}</svg>`
  );
}

export interface ChartRow {
  label: string;
  value: number;
  /** What the bar's end says: the value with its unit. */
  text: string;
  /** Drawn hatched-grey: a row whose value means nothing (skipped, resumed). */
  muted?: boolean;
}

/** Horizontal bars, one per row, scaled to the largest value, labels on the left. */
export function barChart(rows: readonly ChartRow[], width: number, label: string): string {
  const rowHeight = 22;
  const labelWidth = 250;
  const textWidth = 120;
  const barWidth = width - labelWidth - textWidth;
  const max = Math.max(...rows.map((r) => r.value), 0);
  const height = rows.length * rowHeight + 4;
  const body = rows.map((row, i) => {
    const y = i * rowHeight + 2;
    const w = max > 0 ? Math.max((row.value / max) * barWidth, row.value > 0 ? 1 : 0) : 0;
    const name = row.label.length > 36 ? `${row.label.slice(0, 35)}…` : row.label;
    return (
      `<g><title>${esc(`${row.label}: ${row.text}`)}</title>` +
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${esc(name)}</text>` +
      `<rect x="${labelWidth}" y="${y + 3}" width="${round(w)}" height="${rowHeight - 6}" ` +
      `fill="${row.muted ? '#c4ccd4' : '#3b6ea5'}"/>` +
      `<text x="${round(labelWidth + w + 6)}" y="${y + 15}">${esc(row.text)}</text></g>`
    );
  });
  return (
    `<svg class="chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-label="${esc(label)}">${body.join('')}</svg>`
  );
}

const round = (n: number): number => Math.round(n * 10) / 10;
