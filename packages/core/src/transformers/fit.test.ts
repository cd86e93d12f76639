import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charLength, cutAtWord, fitInvented, fitString, fitsColumn, textOf } from './fit.ts';
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

  it('cuts at a word boundary, without separators left dangling', () => {
    expect(cutAtWord('North Little Rock', 15)).toBe('North Little');
    expect(cutAtWord("Lao People's Democratic Republic", 15)).toBe("Lao People's");
    expect(cutAtWord('Fort Daltonville', 15)).toBe('Fort');
    expect(cutAtWord('Bosnia, Herzegovina', 10)).toBe('Bosnia');
    expect(cutAtWord('Main St - Apt 4', 9)).toBe('Main St');
    expect(cutAtWord('Daltonville', 5)).toBeUndefined();
    expect(cutAtWord('short', 5)).toBe('short');
    expect(cutAtWord('a😀b c', 4)).toBe('a😀b');
  });

  it('never cuts inside a word: what it keeps is whole words of the input', () => {
    const words = fc.array(fc.stringMatching(/^[a-zA-Z]{1,9}$/), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(words, fc.nat(40), (list, max) => {
        const text = list.join(' ');
        const cut = cutAtWord(text, max);
        if (cut === undefined) {
          expect(list[0]!.length).toBeGreaterThan(max);
        } else {
          expect(charLength(cut)).toBeLessThanOrEqual(max);
          expect(list.slice(0, cut.split(' ').length).join(' ')).toBe(cut);
        }
      }),
    );
  });

  it('draws candidates until one fits, then cuts at a word, then at the limit', () => {
    const drawer = (values: string[]) => {
      let i = 0;
      return () => values[i++ % values.length]!;
    };
    expect(fitInvented(drawer(['Fort Daltonville', 'Lake Ann']), 15)).toBe('Lake Ann');
    expect(fitInvented(drawer(['Fort Daltonville', 'Lake Annabelleville']), undefined)).toBe('Fort Daltonville');
    // None of 32 candidates fits: the first one a word boundary allows is cut there.
    expect(fitInvented(drawer(['Daltonvilleshire', 'North Little Rock']), 15)).toBe('North Little');
    // No word fits at all: the first candidate, cut at the limit.
    expect(fitInvented(drawer(['Daltonvilleshire', 'Annabelleville']), 5)).toBe('Dalto');
    let draws = 0;
    fitInvented(() => `${draws++}`, 3);
    expect(draws).toBe(1);
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
