import { z } from 'zod';
import type { Value } from '../dialects/dialect.ts';
import { defineTransformer } from './define-transformer.ts';
import { charLength, textOf } from './fit.ts';
import { DigestRandom } from './prng.ts';

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/**
 * The input's shape with new digits: `+1 (415) 555-0100` → `+7 (203) 918-4471`. The first digit
 * stays zero or non-zero (a trunk prefix `0…` stays one), punctuation and spaces are kept, and
 * ASCII letters (`ext.`, vanity numbers) are replaced too, so nothing of a non-number survives.
 */
export function reshapePhone(text: string, random: DigestRandom): string {
  let out = '';
  let first = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      out += first && code !== 48 ? DIGITS[1 + random.below(9)] : first ? '0' : DIGITS[random.below(10)];
      first = false;
    } else if (code >= 65 && code <= 90) out += UPPER[random.below(26)];
    else if (code >= 97 && code <= 122) out += LOWER[random.below(26)];
    else out += text[i];
  }
  return out;
}

/** `format` with each `#` replaced by a digit. */
function fillFormat(format: string, random: DigestRandom): string {
  let out = '';
  for (const ch of format) out += ch === '#' ? DIGITS[random.below(10)] : ch;
  return out;
}

export const phone = defineTransformer({
  name: 'phone',
  description:
    "A fake phone number: the input's shape with new digits and letters (punctuation and spaces kept), " +
    'or `format` with each # a digit.',
  params: z.strictObject({
    format: z
      .string()
      .refine((s) => s.includes('#'), 'must contain at least one # (a digit)')
      .optional()
      .describe(
        'Output pattern, e.g. `+1 ###-###-####`: each # becomes a digit, everything else is kept. ' +
          "Default: the input's own shape.",
      ),
  }),
  columnTypes: ['text'],
  create({ format }, { column, keyed }) {
    if (format !== undefined && column.maxLength !== undefined && charLength(format) > column.maxLength) {
      throw new Error(
        `format has ${charLength(format)} characters, more than the column's maximum length ${column.maxLength}`,
      );
    }
    const random = new DigestRandom();
    // Same length as the input, which fit the column: no cut needed.
    return (value: Value) => {
      if (value === null) return null;
      random.reseed(keyed.digest(value));
      return format === undefined ? reshapePhone(textOf(value), random) : fillFormat(format, random);
    };
  },
});
