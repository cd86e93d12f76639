import { z } from 'zod';
import type { Value } from '../dialects/dialect.ts';
import { defineTransformer } from './define-transformer.ts';
import { textOf } from './fit.ts';
import { DigestRandom } from './prng.ts';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';

/**
 * Replaces each letter by a random ASCII letter of the same case (uncased letters, e.g. CJK,
 * become lower case), each digit by a digit, and keeps everything else (spaces, punctuation), so
 * `AB-12 c` stays shaped like `QZ-70 k`. `numeric` scrambles digits only, keeps the leading digit
 * zero or non-zero and the exponent as they were, so a number keeps its magnitude and still parses.
 */
export function scrambleText(text: string, random: DigestRandom, numeric = false): string {
  let out = '';
  let leading = true;
  let exponent = false;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (numeric && (exponent || ch === 'e')) {
      exponent = true;
      out += ch;
    } else if (code >= 48 && code <= 57) {
      if (!numeric || !leading) out += DIGITS[random.below(10)];
      else out += code === 48 ? '0' : DIGITS[1 + random.below(9)];
      leading = false;
    } else if (numeric) {
      out += ch;
    } else if (code < 128) {
      if (code >= 65 && code <= 90) out += UPPER[random.below(26)];
      else if (code >= 97 && code <= 122) out += LOWER[random.below(26)];
      else out += ch;
    } else if (/\p{Lu}|\p{Lt}/u.test(ch)) {
      out += UPPER[random.below(26)];
    } else if (/\p{L}/u.test(ch)) {
      out += LOWER[random.below(26)];
    } else if (/\p{Nd}/u.test(ch)) {
      out += DIGITS[random.below(10)];
    } else {
      out += ch;
    }
  }
  return out;
}

/** The scrambled value in the input's own JS type, so the dialect writes it back as it read it. */
function scrambleValue(value: Exclude<Value, null>, random: DigestRandom): Value {
  if (typeof value === 'number') return Number(scrambleText(String(value), random, true));
  if (typeof value === 'bigint') return BigInt(scrambleText(String(value), random, true));
  const text = scrambleText(textOf(value), random);
  return Buffer.isBuffer(value) ? Buffer.from(text, 'utf8') : text;
}

export const scramble = defineTransformer({
  name: 'scramble',
  description:
    'Same length and character classes: letters become letters of the same case, digits digits; ' +
    'other characters are kept.',
  params: z.strictObject({}),
  columnTypes: ['text', 'integer', 'decimal'],
  create(_params, { keyed }) {
    // One digest per value, stretched by a PRNG: an HMAC per character would be far slower.
    const random = new DigestRandom();
    return (value) => (value === null ? null : scrambleValue(value, random.reseed(keyed.digest(value))));
  },
});
