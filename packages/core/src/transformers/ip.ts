import { isIP } from 'node:net';
import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { fitsColumn, textOf } from './fit.ts';
import { isBlank, shapeParam } from './shape.ts';

/** A public-looking IPv4 address: first octet 1–223 but not 127 (no zero, loopback or multicast). */
function ipv4(d: Buffer, prefix: number | undefined): string {
  let first = 1 + (d[0]! % 222);
  if (first === 127) first = 128;
  let bits = ((first << 24) | (d[1]! << 16) | (d[2]! << 8) | d[3]!) >>> 0;
  if (prefix === undefined) {
    // A host address: never .0 or .255 in the last octet.
    bits = ((bits & 0xffffff00) | (1 + (d[3]! % 254))) >>> 0;
  } else {
    // A network (`cidr`) refuses host bits to the right of its mask: clear them.
    bits = prefix === 0 ? 0 : (bits & (0xffffffff << (32 - prefix))) >>> 0;
  }
  return `${bits >>> 24}.${(bits >>> 16) & 255}.${(bits >>> 8) & 255}.${bits & 255}`;
}

/** A global unicast IPv6 address (2000::/3), eight groups, no compression. */
function ipv6(d: Buffer, prefix: number | undefined): string {
  const bytes = Buffer.from(d.subarray(0, 16));
  bytes[0] = 0x20 | (bytes[0]! & 0x1f);
  if (prefix !== undefined) {
    for (let bit = prefix; bit < 128; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  }
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** The input's family and `/prefix` (PostgreSQL `inet`, `cidr`), when it is an address at all. */
function parse(text: string): { family: 4 | 6 | 0; prefix?: number } {
  const slash = text.indexOf('/');
  const family = isIP(slash < 0 ? text : text.slice(0, slash)) as 4 | 6 | 0;
  if (slash < 0 || !family) return { family };
  const prefix = Number(text.slice(slash + 1));
  const valid = /^\d{1,3}$/.test(text.slice(slash + 1)) && prefix <= (family === 4 ? 32 : 128);
  return valid ? { family, prefix } : { family };
}

export const ip = defineTransformer({
  name: 'ip',
  description:
    "A fake IP address of the input's family (IPv4 or IPv6) or of `version`; " +
    'a `/prefix` (inet, cidr) is kept, host bits cleared.',
  params: z.strictObject({
    version: z
      .union([z.literal(4), z.literal(6)])
      .optional()
      .describe("4 or 6 for every output. Default: the input's family (IPv4 for inputs that are no address)."),
    shape: shapeParam().describe(
      'Keep empty and blank inputs as they are (default); `false` gives them an address too.',
    ),
  }),
  columnTypes: ['text', 'other'],
  create({ version, shape }, { column, keyed }) {
    const need = version === 6 ? 39 : 15;
    if (column.maxLength !== undefined && column.maxLength < need) {
      throw new Error(
        `column length ${column.maxLength} is too short for an IPv${version ?? 4} address (needs ${need})`,
      );
    }
    return (value) => {
      if (value === null) return null;
      const text = textOf(value);
      if (shape && isBlank(text)) return text;
      const { family, prefix } = parse(text.trim());
      const out6 = (version ?? family) === 6;
      // A prefix only carries over within its family.
      const kept = family === (out6 ? 6 : 4) ? prefix : undefined;
      const digest = keyed.digest(value);
      const address = out6 ? ipv6(digest, kept) : ipv4(digest, kept);
      const out = kept === undefined ? address : `${address}/${kept}`;
      if (!fitsColumn(out, column))
        throw new Error(`ip: an IPv6 address does not fit the column's maximum length ${column.maxLength}`);
      return out;
    };
  },
});
