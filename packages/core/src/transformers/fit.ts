import type { Value } from '../dialects/dialect.ts';
import type { ColumnInfo } from '../dialects/schema.ts';

/**
 * Column limits count characters (Unicode code points), as PostgreSQL and MySQL do, while a JS
 * string's `length` counts UTF-16 units. These helpers count and cut by code point so an output
 * never splits a surrogate pair and never exceeds `varchar(n)`.
 */

/** Length in characters (code points). */
export function charLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Cuts `text` to at most `maxLength` characters; unbounded when `maxLength` is undefined. */
export function fitString(text: string, maxLength: number | undefined): string {
  // A string's code points never outnumber its UTF-16 units: short strings need no scan.
  if (maxLength === undefined || text.length <= maxLength) return text;
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n++ === maxLength) break;
    out += ch;
  }
  return out;
}

/** Invented values drawn for a short column before one is cut: more cost only values that did not fit. */
const CANDIDATES = 32;

/**
 * An invented value that fits `maxLength` without cutting a word: the first of up to 32
 * candidates (`draw()` gives the next one, deterministically: a keyed stream) that fits whole.
 * When none does, the first candidate that can be cut at a word boundary is cut there
 * (`North Little Rock` in 15 → `North Little`); only a column too short for any whole word
 * gets the first candidate cut at the limit. Drawing stops at the first fitting candidate, so
 * values of wide columns cost one draw.
 */
export function fitInvented(draw: () => string, maxLength: number | undefined): string {
  const first = draw();
  // A string's code points never outnumber its UTF-16 units: short strings need no scan.
  if (maxLength === undefined || first.length <= maxLength || charLength(first) <= maxLength) return first;
  const tooLong = [first];
  for (let i = 1; i < CANDIDATES; i++) {
    const next = draw();
    if (next.length <= maxLength || charLength(next) <= maxLength) return next;
    tooLong.push(next);
  }
  for (const candidate of tooLong) {
    const cut = cutAtWord(candidate, maxLength);
    if (cut !== undefined) return cut;
  }
  return fitString(first, maxLength);
}

/** Letters, digits and combining marks make up words; everything else stands between them. */
const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
/** What a cut leaves dangling at the end: spaces, and punctuation that joins or opens. */
const DANGLING = /[\s,;:&+/([{\-\u2013\u2014]+$/u;

/**
 * The longest start of `text`, at most `maxLength` characters, that ends where a word ends (the
 * next character is not a letter, digit or mark), without the separators left dangling; undefined
 * when even the first word is longer than `maxLength`.
 */
export function cutAtWord(text: string, maxLength: number): string | undefined {
  const chars = [...text];
  if (chars.length <= maxLength) return text;
  for (let end = maxLength; end > 0; end--) {
    if (WORD_CHAR.test(chars[end]!)) continue;
    const kept = chars.slice(0, end).join('').replace(DANGLING, '');
    if (kept !== '') return kept;
  }
  return undefined;
}

/** Cuts to the column's maximum length (text columns only carry one). */
export function fitColumn(text: string, column: ColumnInfo): string {
  return fitString(text, column.maxLength);
}

/** True when `text` fits the column's maximum length. */
export function fitsColumn(text: string, column: ColumnInfo): boolean {
  return column.maxLength === undefined || charLength(text) <= column.maxLength;
}

/** A non-null value as text: strings as they are, Buffers as UTF-8, numbers as JS prints them. */
export function textOf(value: Exclude<Value, null>): string {
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}
