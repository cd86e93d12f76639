import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { textOf } from './fit.ts';

/** Masks the middle of a value and keeps a few characters at its ends (`****1234`). */
export const partial = defineTransformer({
  name: 'partial',
  description: 'Mask every character except the first and last few. A value too short to keep any is masked whole.',
  params: z.strictObject({
    keepFirst: z.int().min(0).default(0).describe('Characters kept at the start.'),
    keepLast: z.int().min(0).default(4).describe('Characters kept at the end.'),
    char: z
      .string()
      .refine((s) => [...s].length === 1, 'must be exactly one character')
      .default('*')
      .describe('The masking character.'),
  }),
  columnTypes: ['text'],
  create({ keepFirst, keepLast, char }) {
    return (value) => {
      if (value === null) return null;
      // Code points, so a kept or masked emoji is one character, as the column counts it.
      const chars = [...textOf(value)];
      // Keeping as many characters as a value has would copy it whole: mask it all instead.
      if (chars.length <= keepFirst + keepLast) return char.repeat(chars.length);
      const middle = chars.length - keepFirst - keepLast;
      return chars.slice(0, keepFirst).join('') + char.repeat(middle) + chars.slice(chars.length - keepLast).join('');
    };
  },
});
