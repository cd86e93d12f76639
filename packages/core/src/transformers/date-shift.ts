import { z } from 'zod';
import type { Value } from '../dialects/dialect.ts';
import { defineTransformer } from './define-transformer.ts';
import { pick } from './keyed-hash.ts';
import { textOf } from './fit.ts';

/**
 * `YYYY-MM-DD`, then an optional time (`T` or space, `HH:MM[:SS[.f…]]`), then an optional zone
 * (`Z`, `+05`, `+05:30`, `-00:01:15` as PostgreSQL prints historic offsets) and PostgreSQL's ` BC`.
 * Everything after the date is copied unchanged: only the calendar date moves.
 */
const DATE = String.raw`(\d{4,})-(\d{2})-(\d{2})`;
const TIME = String.raw`(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?`;
const ZONE = String.raw`(?: ?(?:Z|[+-]\d{2}(?::?\d{2}(?::\d{2})?)?))?`;
const DATE_TEXT = new RegExp(`^${DATE}(${TIME}${ZONE})( BC)?$`);

/** PostgreSQL's infinite dates and MySQL's zero date have no day to move. */
const UNMOVABLE = new Set(['infinity', '-infinity', '0000-00-00', '0000-00-00 00:00:00']);

/** Epoch numbers this large are milliseconds (1e11 seconds is the year 5138). */
const MILLIS_FROM = 1e11;

const DAY_SECONDS = 86_400;

const unparseable = () => new Error('dateShift: value is not a date or timestamp in a known format');

/** Moves the calendar date of a `YYYY-MM-DD…` text by `days`, keeping every other character. */
export function shiftDateText(text: string, days: number): string {
  if (UNMOVABLE.has(text)) return text;
  const m = DATE_TEXT.exec(text);
  if (!m) throw unparseable();
  const [, y, mo, d, rest, bc] = m;
  const month = Number(mo);
  const day = Number(d);
  // MySQL accepts zero months and days (`2010-00-00`): there is no real day to move.
  if (month === 0 || day === 0) return text;
  if (month > 12 || day > 31) throw unparseable();
  // Astronomical years (1 BC = 0) so shifts across the era boundary count days correctly.
  const year = bc ? 1 - Number(y) : Number(y);
  // setUTCFullYear, unlike Date.UTC, takes years 0–99 literally.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day + days);
  const shifted = date.getUTCFullYear();
  const era = shifted <= 0 ? ' BC' : '';
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const yearText = pad(shifted <= 0 ? 1 - shifted : shifted, 4);
  return `${yearText}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}${rest ?? ''}${era}`;
}

/** Moves a value by `days`: date texts keep their format, epoch numbers stay numbers of the same unit. */
export function shiftDateValue(value: Exclude<Value, null>, days: number): Value {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw unparseable();
    return value + days * DAY_SECONDS * (Math.abs(value) >= MILLIS_FROM ? 1000 : 1);
  }
  if (typeof value === 'bigint') {
    const unit = (value < 0n ? -value : value) >= BigInt(MILLIS_FROM) ? 1000n : 1n;
    return value + BigInt(days) * BigInt(DAY_SECONDS) * unit;
  }
  if (typeof value === 'boolean') throw unparseable();
  const shifted = shiftDateText(textOf(value), days);
  return Buffer.isBuffer(value) ? Buffer.from(shifted, 'utf8') : shifted;
}

/** A non-zero offset in [-days, -1] ∪ [1, days]: a shift of 0 would leave the value unmasked. */
export function dayOffset(digest: Buffer, days: number): number {
  const k = pick(digest, 2 * days);
  return k < days ? k - days : k - days + 1;
}

export const dateShift = defineTransformer({
  name: 'dateShift',
  description:
    'Move dates and timestamps by a deterministic, non-zero number of days within ±days, keeping their text format; ' +
    'with `by: COLUMN`, every date with the same value in that column moves alike.',
  params: z.strictObject({
    days: z.int().min(1).max(1_000_000).describe('Largest shift in days, either way.'),
    by: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A column of the row (e.g. `rental_id`, `customer_id`) whose source value sets the shift, so the ' +
          "row's dates (and, across tables, the entity's) move together and intervals survive.",
      ),
  }),
  columnTypes: ['date', 'timestamp', 'text', 'integer'],
  create({ days, by }, { keyed, columnIndex }) {
    if (by === undefined) {
      return (value) => (value === null ? null : shiftDateValue(value, dayOffset(keyed.digest(value), days)));
    }
    const at = columnIndex(by);
    if (at < 0) throw new Error(`unknown column "${by}" in by`);
    // The shift depends only on the secret, the domain, `days` and the `by` value (a NULL one
    // too: such rows all move alike), never on the table or column: the same customer_id moves
    // the same in every table. The last shift is kept, as rows often repeat their `by` value.
    let lastBy: unknown;
    let lastOffset = 0;
    return (value, row) => {
      if (value === null) return null;
      const key = row[at] ?? null;
      if (key !== lastBy || lastOffset === 0) {
        lastOffset = dayOffset(keyed.digest(key), days);
        lastBy = key;
      }
      return shiftDateValue(value, lastOffset);
    };
  },
});
