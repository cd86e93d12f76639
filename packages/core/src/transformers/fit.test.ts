import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charLength, fitString, fitsColumn, textOf } from './fit.ts';
import { testColumn } from './test-context.ts';

describe('fit', () => {
  it('counts and cuts characters, not UTF-16 units', () => {
    expect(charLength('a😀b')).toBe(3);
    expect(fitString('a😀b', 2)).toBe('a😀');
    expect(fitString('abc', undefined)).toBe('abc');
  });

  it('never exceeds the limit and keeps a prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.nat(20), (s, max) => {
        const out = fitString(s, max);
        expect(charLength(out)).toBe(Math.min(max, charLength(s)));
        expect(s.startsWith(out)).toBe(true);
      }),
    );
  });

  it('checks a column limit', () => {
    expect(fitsColumn('abcd', testColumn({ maxLength: 3 }))).toBe(false);
    expect(fitsColumn('abc', testColumn({ maxLength: 3 }))).toBe(true);
    expect(fitsColumn('abcd', testColumn())).toBe(true);
  });

  it('reads values as text', () => {
    expect(textOf(Buffer.from('é', 'utf8'))).toBe('é');
    expect(textOf(12n)).toBe('12');
    expect(textOf(1.5)).toBe('1.5');
  });
});
