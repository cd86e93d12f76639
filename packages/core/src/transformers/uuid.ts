import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { textOf } from './fit.ts';

/** 32 hex digits with no dashes, as some schemas store UUIDs in `char(32)`. */
const BARE_HEX = /^[0-9A-Fa-f]{32}$/;

/** A version-4-shaped UUID (version and variant bits set) from the first 16 bytes of a digest. */
export function uuidFromDigest(digest: Buffer, dashes = true): string {
  const bytes = Buffer.from(digest.subarray(0, 16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  if (!dashes) return hex;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const uuid = defineTransformer({
  name: 'uuid',
  description:
    'A deterministic UUID in version-4 format. ' +
    'Text inputs keep their spelling: upper case stays upper, 32 bare hex digits stay bare.',
  params: z.strictObject({}),
  columnTypes: ['uuid', 'text'],
  create(_params, { column, keyed }) {
    const max = column.maxLength;
    if (max !== undefined && max < 32)
      throw new Error(`column length ${max} is too short for a UUID (needs 32, or 36 with dashes)`);
    const roomForDashes = max === undefined || max >= 36;
    return (value) => {
      if (value === null) return null;
      const text = textOf(value);
      const out = uuidFromDigest(keyed.digest(value), roomForDashes && !BARE_HEX.test(text));
      // Upper-case input (no lower-case hex digit) gets upper-case output, as MySQL's UUID() users store it.
      return /[A-F]/.test(text) && !/[a-f]/.test(text) ? out.toUpperCase() : out;
    };
  },
});
