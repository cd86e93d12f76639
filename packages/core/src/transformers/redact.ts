import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { fitColumn } from './fit.ts';

/** Replaces every non-NULL value by a marker; the marker is cut to the column (it only has to hide). */
export const redact = defineTransformer({
  name: 'redact',
  description: 'Replace every non-NULL value by a fixed marker, cut to the column length.',
  params: z.strictObject({
    value: z.string().default('[redacted]').describe('The replacement text; `""` empties the column.'),
  }),
  columnTypes: ['text'],
  create({ value }, { column }) {
    const marker = fitColumn(value, column);
    return (input) => (input === null ? null : marker);
  },
});
