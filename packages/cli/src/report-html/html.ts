/** Small helpers for writing the page as text: every name, rule and reason goes through `esc`. */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe in an element or a quoted attribute. */
export const esc = (text: string | number): string => String(text).replace(/[&<>"']/g, (c) => ENTITIES[c]!);

const integer = new Intl.NumberFormat('en');
const decimal = new Intl.NumberFormat('en', { maximumFractionDigits: 1 });

export const count = (n: number): string => integer.format(n);

/** `12.3 MB`: bytes in powers of 1000, as the run's summary prints them. */
export function size(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit ? decimal.format(value) : integer.format(value)} ${units[unit]}`;
}

export function duration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${decimal.format(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

export const percent = (part: number, whole: number): string =>
  whole ? `${decimal.format((100 * part) / whole)} %` : '–';

/** A small square of a state's colour, before its label. */
export const dot = (color: string): string => `<span class="dot" style="background:${color}"></span>`;

/** `<tag attrs>…</tag>` from pieces already escaped. */
export const el = (tag: string, attrs: string, ...children: string[]): string =>
  `<${tag}${attrs ? ` ${attrs}` : ''}>${children.join('')}</${tag}>`;
