import { describe, expect, it } from 'vitest';
import { fitWidth, formatBytes, formatClock, formatCount, formatDuration, shortenUrl, wrapText } from './format.ts';

describe('formats', () => {
  it('counts with thousands separators', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(12.6)).toBe('13');
  });

  it('gives bytes in SI units with three significant digits', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.00 kB');
    expect(formatBytes(562_737)).toBe('563 kB');
    expect(formatBytes(8_780_000)).toBe('8.78 MB');
    expect(formatBytes(3.2e12)).toBe('3.20 TB');
  });

  it('shows durations on a clock, hours only when needed', () => {
    expect(formatClock(7)).toBe('0:07');
    expect(formatClock(754)).toBe('12:34');
    expect(formatClock(3723)).toBe('1:02:03');
    expect(formatClock(-3)).toBe('0:00');
  });

  it('cuts lines to a width with an ellipsis, and leaves short lines alone', () => {
    expect(fitWidth('abcdefgh', 5)).toBe('abcd…');
    expect(fitWidth('abc', 5)).toBe('abc');
    expect(fitWidth('abcdefgh', undefined)).toBe('abcdefgh');
  });

  it('says a duration in words: seconds with a decimal, then minutes, then hours', () => {
    expect(formatDuration(0.314)).toBe('0.3 s');
    expect(formatDuration(42.06)).toBe('42.1 s');
    expect(formatDuration(125.4)).toBe('2 min 05 s');
    expect(formatDuration(3725)).toBe('1 h 02 min');
  });
});

describe('wrapText', () => {
  it("wraps at spaces, continuing at the line's own indent or the one given", () => {
    expect(wrapText('  one two three four', 12)).toEqual(['  one two', '  three four']);
    expect(wrapText('9: alpha, beta, gamma', 12, '   ')).toEqual(['9: alpha,', '   beta,', '   gamma']);
    expect(wrapText('short', 12)).toEqual(['short']);
    expect(wrapText('no width given at all', undefined)).toEqual(['no width given at all']);
  });

  it('cuts a word longer than a line across lines rather than losing any of it', () => {
    expect(wrapText('a_very_long_table_name', 8)).toEqual(['a_very_l', 'ong_tabl', 'e_name']);
    expect(wrapText('x: a_very_long_name', 8, '   ')).toEqual(['x:', '   a_ver', '   y_lon', '   g_nam', '   e']);
  });
});

describe('shortenUrl', () => {
  const pg = 'postgres://masque:***@staging-db.eu-west-1.internal.example.com:5432/shop_staging?sslmode=require';

  it('leaves a URL that fits alone', () => {
    expect(shortenUrl('sqlite:staging.db', 40)).toBe('sqlite:staging.db');
  });

  it('drops the query, then the user, then the host, keeping the scheme and the database', () => {
    expect(shortenUrl(pg, 90)).toBe(
      'postgres://masque:***@staging-db.eu-west-1.internal.example.com:5432/shop_staging',
    );
    expect(shortenUrl(pg, 70)).toBe('postgres://staging-db.eu-west-1.internal.example.com:5432/shop_staging');
    expect(shortenUrl(pg, 40)).toBe('postgres://…/shop_staging');
    expect(shortenUrl('sqlite:/var/lib/masque/nightly/staging.db', 30)).toBe('sqlite:…/nightly/staging.db');
  });

  it('never grows past its budget, even when the database name alone is too long', () => {
    for (let max = 1; max <= 100; max++) expect(shortenUrl(pg, max).length).toBeLessThanOrEqual(max);
    expect(shortenUrl(pg, 12)).toBe('…hop_staging');
  });
});
