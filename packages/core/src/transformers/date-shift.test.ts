import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateShift, dayOffset, shiftDateText } from './date-shift.ts';
import { build, testColumn } from './test-context.ts';

const DAY = 86_400_000;

/** Days between two `YYYY-MM-DD…` texts (AD years). */
const daysBetween = (a: string, b: string) => (Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))) / DAY;

const isoDate = fc
  .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** Time and zone parts as PostgreSQL, MySQL and SQLite print them; all must come back unchanged. */
const suffixes = [
  '',
  ' 00:00:00',
  ' 09:57:20+00',
  ' 09:57:20.123456+05:30',
  'T23:59:59.999Z',
  ' 04:34:33',
  ' 12:00:00-08',
  ' 00:00:00-00:01:15',
];

describe('dateShift', () => {
  it('moves the date within ±days, never by 0, and keeps the rest of the text', () => {
    fc.assert(
      fc.property(isoDate, fc.constantFrom(...suffixes), fc.integer({ min: 1, max: 400 }), (date, suffix, days) => {
        const out = build(dateShift, { days })(date + suffix, []) as string;
        expect(out).toMatch(/^\d{4}-\d{2}-\d{2}/);
        expect(out.slice(10)).toBe(suffix);
        const moved = daysBetween(date, out);
        expect(Math.abs(moved)).toBeGreaterThanOrEqual(1);
        expect(Math.abs(moved)).toBeLessThanOrEqual(days);
      }),
    );
  });

  it('is deterministic per secret and differs across secrets', () => {
    const a = build(dateShift, { days: 365 }, {}, { secret: 'one' });
    const b = build(dateShift, { days: 365 }, {}, { secret: 'two' });
    let same = 0;
    fc.assert(
      fc.property(isoDate, (d) => {
        expect(a(d, [])).toBe(build(dateShift, { days: 365 }, {}, { secret: 'one' })(d, []));
        if (a(d, []) === b(d, [])) same++;
      }),
    );
    expect(same).toBeLessThan(5);
  });

  it('moves across months, years and leap days', () => {
    expect(shiftDateText('2024-02-28 10:00:00', 1)).toBe('2024-02-29 10:00:00');
    expect(shiftDateText('2023-12-31', 1)).toBe('2024-01-01');
    expect(shiftDateText('2000-03-01', -1)).toBe('2000-02-29');
    expect(shiftDateText('0050-01-01', -1)).toBe('0049-12-31');
  });

  it('counts BC years across the era boundary', () => {
    expect(shiftDateText('0044-03-15 BC', 10)).toBe('0044-03-25 BC');
    expect(shiftDateText('0001-12-31 BC', 1)).toBe('0001-01-01');
    expect(shiftDateText('0001-01-01', -1)).toBe('0001-12-31 BC');
  });

  it('keeps values with no day to move', () => {
    const t = build(dateShift, { days: 10 });
    for (const v of ['infinity', '-infinity', '0000-00-00', '0000-00-00 00:00:00', '2010-00-00'])
      expect(t(v, [])).toBe(v);
    expect(t(null, [])).toBeNull();
  });

  it('moves epoch seconds and milliseconds by whole days', () => {
    const t = build(dateShift, { days: 30 });
    const seconds = t(1_700_000_000, []) as number;
    expect(Math.abs(seconds - 1_700_000_000) % 86_400).toBe(0);
    expect(Math.abs(seconds - 1_700_000_000) / 86_400).toBeLessThanOrEqual(30);
    const millis = t(1_700_000_000_000, []) as number;
    expect(Math.abs(millis - 1_700_000_000_000) % DAY).toBe(0);
    expect(typeof t(1_700_000_000n, [])).toBe('bigint');
  });

  it('refuses what is not a date, without printing it', () => {
    const t = build(dateShift, { days: 10 });
    for (const v of ['Jane Doe 1980', '2020-13-01', '12:00:00', '2020-01-01 garbage', '01/02/2020']) {
      expect(() => t(v, [])).toThrow(/not a date/);
      try {
        t(v, []);
      } catch (error) {
        expect((error as Error).message).not.toContain(v);
      }
    }
  });

  it('requires a positive whole number of days', () => {
    expect(dateShift.params.safeParse({}).success).toBe(false);
    expect(dateShift.params.safeParse({ days: 0 }).success).toBe(false);
    expect(dateShift.params.safeParse({ days: 1.5 }).success).toBe(false);
  });

  it('spreads offsets over the whole range except 0', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) seen.add(dayOffset(createHash('sha256').update(String(i)).digest(), 3));
    expect([...seen].sort((a, b) => a - b)).toEqual([-3, -2, -1, 1, 2, 3]);
  });
});

describe('dateShift by', () => {
  const otherColumns = [testColumn({ name: 'rental_id', category: 'integer' }), testColumn({ name: 'other' })];
  const shiftBy = (by = 'rental_id', options = {}) =>
    build(dateShift, { days: 30, by }, { category: 'date' }, { otherColumns, ...options });

  it("moves every date of a row by its `by` value's shift, so intervals survive", () => {
    const rented = shiftBy();
    const returned = shiftBy();
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 0, max: 40 }), fc.integer(), (date, length, id) => {
        const back = new Date(Date.parse(date) + length * DAY).toISOString().slice(0, 10);
        const row = [date, id, 'x'];
        const [a, b] = [rented(date, row) as string, returned(back, [back, id, 'y']) as string];
        expect(daysBetween(a, b)).toBe(length);
        expect(Math.abs(daysBetween(date, a))).toBeGreaterThanOrEqual(1);
        expect(Math.abs(daysBetween(date, a))).toBeLessThanOrEqual(30);
      }),
    );
  });

  it('depends only on the secret, days and the `by` value, not on the column or table', () => {
    const here = shiftBy('rental_id', { domain: 'dateShift' });
    // Another table, where the key is another column at another place.
    const there = build(
      dateShift,
      { days: 30, by: 'customer' },
      { name: 'paid', category: 'date' },
      { domain: 'dateShift', otherColumns: [testColumn({ name: 'x' }), testColumn({ name: 'customer' })] },
    );
    const other = shiftBy('rental_id', { domain: 'dateShift', secret: 'another' });
    let differ = 0;
    for (let id = 0; id < 200; id++) {
      expect(there('2020-05-05', ['2020-05-05', 'q', id])).toBe(here('2020-05-05', ['2020-05-05', id, 'z']));
      if (other('2020-05-05', ['2020-05-05', id, 'z']) !== here('2020-05-05', ['2020-05-05', id, 'z'])) differ++;
    }
    expect(differ).toBeGreaterThan(180);
    // Rows sharing a NULL `by` move alike too.
    expect(here('2020-05-05', ['2020-05-05', null, 'a'])).toBe(here('2020-05-05', ['2020-05-05', null, 'b']));
  });

  it('keeps NULL dates and names an unknown column', () => {
    expect(shiftBy()(null, [null, 1, 'x'])).toBeNull();
    expect(() => shiftBy('nope')).toThrow('unknown column "nope" in by');
  });
});
