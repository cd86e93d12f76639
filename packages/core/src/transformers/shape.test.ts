import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestRandom } from './prng.ts';
import { applyCase, hasDigit, inShapeOf, isBlank, keepLayout, letterCase, startsUpper } from './shape.ts';

describe('shape', () => {
  it('tells blank text', () => {
    for (const blank of ['', ' ', '   ', '\t\n', '\u00a0', '\u3000']) expect(isBlank(blank)).toBe(true);
    for (const text of ['a', ' a', 'a ', '\u00a0x', '0', '漢']) expect(isBlank(text)).toBe(false);
  });

  it('reads the letter case of an input', () => {
    const cases: [string, string | undefined][] = [
      ['MARY', 'upper'],
      ['ÉLODIE 2', 'upper'],
      ['MARY SMITH-JONES', 'upper'],
      ['mary', 'lower'],
      ['anna.user1@corp-1.example', 'lower'],
      ['straße', 'lower'],
      ['Mary', 'sentence'],
      ['Hello world', 'sentence'],
      ['A', 'sentence'],
      ['Élodie', 'sentence'],
      ['Mary Smith', 'title'],
      ["O'Brien", 'title'],
      ['Mary.Smith', 'title'],
      ['New York 10001', 'title'],
      ['Av. Brigadeiro Faria Lima, 2170', 'title'],
      ['2nd Floor', 'sentence'],
      ['194A Chain Lake Drive', undefined],
      ['McDonald', undefined],
      ['iPhone', undefined],
      ['van Dijk', undefined],
      ['漢字', undefined],
      ['12-345', undefined],
      ['', undefined],
    ];
    for (const [text, expected] of cases) expect([text, letterCase(text)]).toEqual([text, expected]);
  });

  it('tells whether the first cased letter is upper case', () => {
    for (const text of ['Mary', 'MARY', '12 Élodie', '漢字A', "O'brien"])
      expect([text, startsUpper(text)]).toEqual([text, true]);
    for (const text of ['mary', 'eBay', '12-345', '', '漢字a'])
      expect([text, startsUpper(text)]).toEqual([text, false]);
  });

  it('applies a case, raising only first letters for title and sentence case', () => {
    expect(applyCase('Rex McDonald', 'upper')).toBe('REX MCDONALD');
    expect(applyCase('Rex McDonald', 'lower')).toBe('rex mcdonald');
    expect(applyCase('rex mcDonald', 'title')).toBe('Rex McDonald');
    expect(applyCase('vado tenax. combibo', 'sentence')).toBe('Vado tenax. combibo');
    expect(applyCase('12 main street', 'sentence')).toBe('12 Main street');
    expect(applyCase('Fort Worth', 'title')).toBe('Fort Worth');
    // Words start at a letter or a digit: `13th` is one word, and stays as it is.
    expect(applyCase('38557 13th street', 'title')).toBe('38557 13th Street');
    expect(applyCase('38557 13th street', 'sentence')).toBe('38557 13th Street');
    expect(applyCase('élodie', 'sentence')).toBe('Élodie');
    expect(applyCase('Straße', 'upper')).toBe('STRASSE');
    expect(applyCase('漢字', 'title')).toBe('漢字');
    expect(applyCase('Rex', undefined)).toBe('Rex');
  });

  it('puts a value invented elsewhere in the shape of the input', () => {
    expect(inShapeOf('MARY', 'Rex')).toBe('REX');
    expect(inShapeOf('usa', 'United States')).toBe('united states');
    expect(inShapeOf('Sasebo', 'fort worth')).toBe('Fort worth');
    expect(inShapeOf('McDonald', 'Rex')).toBe('Rex');
    expect(inShapeOf('', 'Rex')).toBe('');
    expect(inShapeOf('  ', 'Rex')).toBe('  ');
    expect(inShapeOf(42, 'Rex')).toBe('Rex');
  });

  it('gives an applied case back when read again', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z]{2,8}( [a-z]{2,8}){0,2}$/), (words) => {
        expect(letterCase(applyCase(words, 'upper'))).toBe('upper');
        expect(letterCase(applyCase(words, 'lower'))).toBe('lower');
        const title = applyCase(words, 'title');
        expect(letterCase(title)).toBe(words.includes(' ') ? 'title' : 'sentence');
      }),
    );
  });

  it('keeps a layout of digits, letters and separators, with new characters', () => {
    const random = new DigestRandom(Buffer.alloc(32, 7));
    const pattern = (text: string) => text.replace(/\d/g, '9').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a');
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Za-z +().\-/]{0,20}$/), (text) => {
        const out = keepLayout(text, random);
        expect(pattern(out)).toBe(pattern(text));
        // A leading zero stays a zero, a leading non-zero digit stays non-zero.
        const first = text.match(/\d/)?.[0];
        if (first) expect(out.match(/\d/)![0] === '0').toBe(first === '0');
      }),
    );
    expect(pattern(keepLayout('WA1 1DP', random))).toBe('AA9 9AA');
    expect(hasDigit('n/a')).toBe(false);
    expect(hasDigit('WA1')).toBe(true);
  });
});
