import { z } from 'zod';
import type { Value } from '../dialects/dialect.ts';
import { defineTransformer } from './define-transformer.ts';
import { charLength, textOf } from './fit.ts';
import { DigestRandom } from './prng.ts';
import { isBlank, keepLayout, shapeParam } from './shape.ts';

const DIGITS = '0123456789';

/** `format` with each `#` replaced by a digit. */
function fillFormat(format: string, random: DigestRandom): string {
  let out = '';
  for (const ch of format) out += ch === '#' ? DIGITS[random.below(10)] : ch;
  return out;
}

export const phone = defineTransformer({
  name: 'phone',
  description:
    "A fake phone number: the input's layout with new digits and letters (punctuation and spaces kept, " +
    'empty and blank inputs too), or `format` with each # a digit.',
  params: z.strictObject({
    format: z
      .string()
      .refine((s) => s.includes('#'), 'must contain at least one # (a digit)')
      .optional()
      .describe(
        'Output pattern, e.g. `+1 ###-###-####`: each # becomes a digit, everything else is kept. ' +
          "Default: the input's own shape.",
      ),
    shape: shapeParam().describe(
      'Keep empty and blank inputs as they are (default). `false` gives them a number too, in `format`. ' +
        "Without `format` the output always has the input's layout.",
    ),
  }),
  columnTypes: ['text'],
  create({ format, shape }, { column, keyed }) {
    if (format !== undefined && column.maxLength !== undefined && charLength(format) > column.maxLength) {
      throw new Error(
        `format has ${charLength(format)} characters, more than the column's maximum length ${column.maxLength}`,
      );
    }
    const random = new DigestRandom();
    return (value: Value) => {
      if (value === null) return null;
      const text = textOf(value);
      // Same length as the input, which fit the column: no cut needed. Blanks stay blank.
      if (format === undefined) return keepLayout(text, random.reseed(keyed.digest(value)));
      if (shape && isBlank(text)) return text;
      return fillFormat(format, random.reseed(keyed.digest(value)));
    };
  },
});
