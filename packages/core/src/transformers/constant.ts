import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { fitsColumn } from './fit.ts';

/** Replaces every non-NULL value by one fixed value. */
export const constant = defineTransformer({
  name: 'constant',
  description: 'Replace every non-NULL value by a fixed value.',
  params: z.strictObject({
    value: z.union([z.string(), z.number(), z.boolean()]).describe('The value to write (NULL stays NULL).'),
  }),
  create({ value }, { column }) {
    // A constant cut to fit would silently be another constant: refuse instead.
    if (typeof value === 'string' && !fitsColumn(value, column)) {
      throw new Error(`constant is longer than the column's maximum length ${column.maxLength}`);
    }
    return (input) => (input === null ? null : value);
  },
});
