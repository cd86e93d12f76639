import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';

/** Characters of the full digest in each encoding (32 bytes). */
const FULL = { hex: 64, base64url: 43 } as const;

/** The keyed digest itself, encoded: stable, unique in practice, unreadable without the secret. */
export const hash = defineTransformer({
  name: 'hash',
  description: 'The keyed HMAC-SHA256 digest of the value, hex or base64url, cut to a length.',
  params: z.strictObject({
    length: z
      .int()
      .min(1)
      .max(FULL.hex)
      .optional()
      .describe('Characters to keep (default: the whole digest, shortened to the column length).'),
    encoding: z.enum(['hex', 'base64url']).default('hex').describe('Text encoding of the digest.'),
  }),
  columnTypes: ['text'],
  create({ length, encoding }, { column, keyed }) {
    const full = FULL[encoding];
    if (length !== undefined && length > full)
      throw new Error(`length ${length} exceeds the ${full} characters of a ${encoding} digest`);
    // An explicit length is a promise about the output: refuse rather than quietly shorten it.
    if (length !== undefined && column.maxLength !== undefined && length > column.maxLength) {
      throw new Error(`length ${length} exceeds the column's maximum length ${column.maxLength}`);
    }
    const size = length ?? Math.min(full, column.maxLength ?? full);
    return (value) => (value === null ? null : keyed.digest(value).toString(encoding).slice(0, size));
  },
});
