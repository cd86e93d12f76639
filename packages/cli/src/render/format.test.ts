import { describe, expect, it } from 'vitest';
import { fitWidth, formatBytes, formatClock, formatCount } from './format.ts';

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
});
