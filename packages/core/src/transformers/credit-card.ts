import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { charLength, textOf } from './fit.ts';
import { DigestRandom } from './prng.ts';
import { isBlank, shapeParam } from './shape.ts';

/** Card numbers have 12 to 19 digits (ISO/IEC 7812); other inputs get the default layout. */
const MIN_DIGITS = 12;
const MAX_DIGITS = 19;
const DEFAULT_LAYOUT = '################';

/** True when a digit string passes the Luhn check. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return digits.length > 1 && sum % 10 === 0;
}

/** The check digit that makes `body` + digit Luhn-valid. */
function checkDigit(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    // Counting from the right of the full number, the check digit is position 0: double odd ones.
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

const isDigit = (ch: string) => ch >= '0' && ch <= '9';

/**
 * Fills a layout: `#` positions get digits (the first `keep` from `prefix`, the very first one of
 * a card network, 3–6, when nothing is kept), literal digits stay, the last digit is the check digit.
 */
function fill(layout: string, prefix: string, keep: number, random: DigestRandom): string {
  const chars = [...layout];
  const slots = chars.flatMap((ch, i) => (ch === '#' || isDigit(ch) ? [i] : []));
  let body = '';
  for (let s = 0; s < slots.length - 1; s++) {
    const i = slots[s]!;
    if (chars[i] === '#')
      chars[i] =
        s < keep && s < prefix.length ? prefix[s]! : s === 0 ? String(3 + random.below(4)) : String(random.below(10));
    body += chars[i];
  }
  chars[slots[slots.length - 1]!] = checkDigit(body);
  return chars.join('');
}

/** The digit positions of a format: at least two, the last one a `#` for the check digit. */
function validFormat(format: string): boolean {
  const slots = [...format].filter((ch) => ch === '#' || isDigit(ch));
  return slots.length >= 2 && slots.at(-1) === '#';
}

export const creditCard = defineTransformer({
  name: 'creditCard',
  description: "A fake, Luhn-valid card number in the input's layout (length, spaces, dashes), or in `format`.",
  params: z.strictObject({
    format: z
      .string()
      .refine(validFormat, 'needs at least two digit positions, the last one a # (the check digit)')
      .optional()
      .describe(
        'Output layout, e.g. `#### #### #### ####` or `4### #### #### ####`: # is a digit, digits are kept, ' +
          'the last # is the Luhn check digit. ' +
          "Default: the input's layout (16 digits for inputs that are no card number).",
      ),
    keepPrefix: z
      .int()
      .min(0)
      .max(8)
      .default(0)
      .describe(
        'Leading digits of the input to keep, e.g. 1 for the card network, 6 for the issuer (BIN). ' +
          'Default 0: a network digit 3–6 is drawn.',
      ),
    shape: shapeParam().describe(
      'Keep empty and blank inputs as they are (default); `false` gives them a card number too.',
    ),
  }),
  columnTypes: ['text'],
  create({ format, keepPrefix, shape }, { column, keyed }) {
    const max = column.maxLength;
    if (format !== undefined && max !== undefined && charLength(format) > max) {
      throw new Error(`format has ${charLength(format)} characters, more than the column's maximum length ${max}`);
    }
    if (format === undefined && max !== undefined && max < MIN_DIGITS)
      throw new Error(`column length ${max} is too short for a card number (needs ${MIN_DIGITS})`);
    const fallback = DEFAULT_LAYOUT.slice(0, max);
    const random = new DigestRandom();
    return (value) => {
      if (value === null) return null;
      const text = textOf(value);
      if (shape && isBlank(text)) return text;
      const digits = text.replace(/[^0-9]/g, '');
      let layout = format;
      // The input's layout, with its literal digits turned into slots so none of them survives.
      if (layout === undefined)
        layout = digits.length >= MIN_DIGITS && digits.length <= MAX_DIGITS ? text.replace(/[0-9]/g, '#') : fallback;
      return fill(layout, digits, keepPrefix, random.reseed(keyed.digest(value)));
    };
  },
});
