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
