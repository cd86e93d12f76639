import { z } from 'zod';
import type { Value } from '../dialects/dialect.ts';
import type { ColumnInfo } from '../dialects/schema.ts';
import { type Decimal, formatDecimal, integerRange, parseDecimal, rescale } from './decimal.ts';
import { defineTransformer } from './define-transformer.ts';
import { textOf } from './fit.ts';

/** Float texts with no number to move; PostgreSQL prints them like this. */
const SPECIAL = new Set(['NaN', 'Infinity', '-Infinity']);

/** A float column holding a whole number gets this many decimals, or noise would round away. */
const FLOAT_MIN_SCALE = 2;

const notANumber = () => new Error('noise: value is not a number');

/** A non-zero offset in [-bound, -1] ∪ [1, bound] units from 16 digest bytes (no float, no bias worth the name). */
function offset(digest: Buffer, bound: bigint): bigint {
  if (bound <= 0n) return 0n;
  const k = BigInt(`0x${digest.subarray(0, 16).toString('hex')}`) % (2n * bound);
  return k < bound ? k - bound : k - bound + 1n;
}

/** The inclusive range a result must stay in, by column type; undefined when free. */
function limits(column: ColumnInfo, scale: number): [bigint, bigint] | undefined {
  if (column.category === 'integer') return integerRange(column.dataType);
  if (column.category === 'decimal' && column.precision !== undefined && column.scale === scale) {
    const max = 10n ** BigInt(column.precision) - 1n;
    return [-max, max];
  }
  return undefined;
}

/** Writes the result in the input's JS type, so the dialect writes it back as it read it. */
function likeInput(input: Exclude<Value, null>, result: Decimal): Value {
  if (typeof input === 'bigint') return result.unscaled;
  const text = formatDecimal(result);
  if (typeof input === 'number') return Number(text);
  return Buffer.isBuffer(input) ? Buffer.from(text, 'utf8') : text;
}

export const noise = defineTransformer({
  name: 'noise',
  description:
    'Add a deterministic, non-zero amount within ±percent of the value or ±absolute; ' +
    'integers stay integers, decimals keep their scale.',
  params: z
    .strictObject({
      percent: z
        .number()
        .positive()
        .max(1_000_000)
        .optional()
        .describe('Largest change as a percentage of the value, e.g. 10 for ±10%.'),
      absolute: z.number().positive().optional().describe("Largest change in the value's own units, e.g. 5 for ±5."),
    })
    .refine((p) => (p.percent === undefined) !== (p.absolute === undefined), {
      message: 'give exactly one of percent or absolute',
    }),
  columnTypes: ['integer', 'decimal', 'float', 'text'],
  create({ percent, absolute }, { column, keyed }) {
    // Params as exact decimals too, so the bound itself never passes through float arithmetic.
    const percentDec = percent === undefined ? undefined : parseDecimal(String(percent))!;
    const absoluteDec = absolute === undefined ? undefined : parseDecimal(String(absolute))!;
    /** The largest change, in units of the value's last digit. */
    const bound = (x: Decimal): bigint => {
      if (percentDec) {
        const magnitude = x.unscaled < 0n ? -x.unscaled : x.unscaled;
        return (magnitude * percentDec.unscaled) / (100n * 10n ** BigInt(percentDec.scale));
      }
      // At least one step of the column, so a small absolute never rounds to "unchanged".
      const units = rescale(absoluteDec!, x.scale).unscaled;
      return units > 1n ? units : 1n;
    };
    return (value) => {
      if (value === null) return null;
      if (typeof value === 'boolean') throw notANumber();
      const text = textOf(value);
      if (SPECIAL.has(text)) return value;
      const parsed = parseDecimal(text);
      if (!parsed) throw notANumber();
      let scale = column.category === 'integer' || typeof value === 'bigint' ? 0 : (column.scale ?? parsed.scale);
      if (column.category === 'float' && column.scale === undefined) scale = Math.max(scale, FLOAT_MIN_SCALE);
      const x = rescale(parsed, scale);
      let unscaled = x.unscaled + offset(keyed.digest(value), bound(x));
      const range = limits(column, scale);
      // Clamp only inputs inside the range: one outside it means the type name misled us.
      if (range && x.unscaled >= range[0] && x.unscaled <= range[1]) {
        if (unscaled < range[0]) unscaled = range[0];
        else if (unscaled > range[1]) unscaled = range[1];
      }
      return likeInput(value, { unscaled, scale });
    };
  },
});
