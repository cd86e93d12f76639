import type { Value } from '../dialects/dialect.ts';

/**
 * A 53-bit fingerprint of a value as a unique index would compare it: case-folded and without
 * trailing spaces, because MySQL's default collations and PostgreSQL's citext treat those as
 * equal. Two different values may share a fingerprint (about n²/2⁵⁴ pairs): that only costs an
 * unneeded repair, never a duplicate. cyrb53 (public domain): fast and well mixed for strings.
 */
export function fingerprint(value: Exclude<Value, null>): number {
  return cyrb53(Buffer.isBuffer(value) ? value.toString('hex') : String(value).toLowerCase().trimEnd());
}

/** cyrb53: a fast, well-mixed 53-bit string hash (public domain). Not a secret: it only tells values apart. */
export function cyrb53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** The key a value is looked up by in a repair table: equal for equal values of one column. */
export function valueKey(value: Exclude<Value, null>): string {
  return Buffer.isBuffer(value) ? `\u0000${value.toString('hex')}` : String(value);
}

/**
 * A copy of a value that keeps nothing else alive. Decoders hand out slices: V8 shares a
 * substring's characters with the whole chunk of text it was cut from, and a Buffer shares its
 * memory. A value kept for the whole run (a repair, a candidate row) would keep its whole 64–128 KB
 * chunk alive with it, and the chunks of many such values add up over a big table.
 * `structuredClone` copies a string exactly, lone surrogates too; V8 never slices below 13.
 */
export function detached(value: Value): Value {
  if (typeof value === 'string') return value.length < 13 ? value : structuredClone(value);
  return Buffer.isBuffer(value) ? Buffer.from(value) : value;
}
