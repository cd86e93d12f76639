/** Number and size formats shared by the progress lines and the summary table. */

const count = new Intl.NumberFormat('en');

/** 1234567 → `1,234,567`. */
export function formatCount(n: number): string {
  return count.format(Math.round(n));
}

/** Bytes in SI units (1 kB = 1000 B), three significant digits: `812 B`, `1.23 MB`. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 999.5 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toPrecision(3)} ${units[unit]}`;
}

/** A duration on a clock: `0:07`, `12:34`, `1:02:03`. */
export function formatClock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const [h, m, r] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const mmss = `${h ? String(m).padStart(2, '0') : m}:${String(r).padStart(2, '0')}`;
  return h ? `${h}:${mmss}` : mmss;
}

/** Cuts a line to `width` characters with an ellipsis, so a live line never wraps. */
export function fitWidth(line: string, width: number | undefined): string {
  if (!width || line.length <= width) return line;
  return `${line.slice(0, Math.max(0, width - 1))}…`;
}
