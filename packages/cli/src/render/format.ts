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

/** A run's length in words: `0.3 s`, `42.1 s`, `2 min 05 s`, `1 h 02 min`. */
export function formatDuration(seconds: number): string {
  if (seconds < 59.95) return `${seconds.toFixed(1)} s`;
  const s = Math.round(seconds);
  const two = (n: number) => String(n).padStart(2, '0');
  if (s < 3600) return `${Math.floor(s / 60)} min ${two(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${two(Math.floor((s % 3600) / 60))} min`;
}

/**
 * Word-wraps a line to `width`, continuing on lines that start with `indent` (default: the line's
 * own leading spaces). A word longer than a line is cut across lines, so that nothing is lost and
 * no line is wider than `width`.
 */
export function wrapText(text: string, width: number | undefined, indent = /^ */.exec(text)![0]): string[] {
  if (!width || text.length <= width) return [text];
  const pad = indent.length < width ? indent : '';
  const lines: string[] = [];
  let line: string | undefined;
  for (const [, space, word] of text.matchAll(/( *)([^ ]+)/g)) {
    if (line === undefined) line = space! + word!;
    else if (line.length + space!.length + word!.length <= width) line += space! + word!;
    else {
      lines.push(line);
      line = pad + word!;
    }
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = pad + line.slice(width);
    }
  }
  return line === undefined ? [text] : [...lines, line];
}

/**
 * A database URL in ever shorter forms, each keeping what tells databases apart: the scheme and
 * the database at the path's end. The forms drop, in turn, the query, the user, then the host and
 * leading path segments; the last is `postgres://…/staging` or `sqlite:…/staging.db`. They only
 * remove text, so a redacted URL (password `***`) stays redacted.
 */
export function urlForms(url: string): string[] {
  const scheme = /^[a-z][a-z0-9+.-]*:(\/\/)?/i.exec(url)?.[0] ?? '';
  const path = url.slice(scheme.length).replace(/\?.*$/s, '');
  const hostPath = path.replace(/^[^@/]*@/, '');
  const segments = hostPath.split('/');
  const tails = segments.slice(1).map((_, i) => `${scheme}…/${segments.slice(i + 1).join('/')}`);
  return [...new Set([url, scheme + path, scheme + hostPath, ...tails])];
}

/**
 * The longest of `urlForms` within `max` characters; when even the shortest is too long, the end
 * of the database's name (`sqlite:…ong-staging-file-name.db`), after the scheme if there is room.
 */
export function shortenUrl(url: string, max: number): string {
  const forms = urlForms(url);
  const fits = forms.find((form) => form.length <= max);
  if (fits !== undefined) return fits;
  const scheme = /^[a-z][a-z0-9+.-]*:(\/\/)?/i.exec(url)?.[0] ?? '';
  const name = forms.at(-1)!.slice(scheme.length).split('/').at(-1)!;
  const head = max - scheme.length > 12 ? `${scheme}…` : '…';
  return max <= head.length ? '…'.slice(0, max) : `${head}${name.slice(head.length - max)}`;
}
