import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDecimal, integerRange, parseDecimal, rescale } from './decimal.ts';

describe('decimal', () => {
  it('parses the texts engines print', () => {
    expect(parseDecimal('-12.50')).toEqual({ unscaled: -1250n, scale: 2 });
    expect(parseDecimal('1e+21')).toEqual({ unscaled: 10n ** 21n, scale: 0 });
    expect(parseDecimal('1.5e-7')).toEqual({ unscaled: 15n, scale: 8 });
    expect(parseDecimal('.5')).toEqual({ unscaled: 5n, scale: 1 });
    for (const bad of ['', '-', '.', 'abc', '1.2.3', '12a', 'NaN']) expect(parseDecimal(bad)).toBeUndefined();
  });

  it('formats back to the same text', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^-?(0|[1-9]\d{0,30})(\.\d{1,12})?$/), (text) => {
        if (/^-0(\.0*)?$/.test(text)) return; // -0 prints as 0
        expect(formatDecimal(parseDecimal(text)!)).toBe(text);
      }),
    );
    expect(formatDecimal({ unscaled: -5n, scale: 3 })).toBe('-0.005');
  });

  it('rescales, rounding half away from zero', () => {
    expect(rescale({ unscaled: 125n, scale: 2 }, 1)).toEqual({ unscaled: 13n, scale: 1 });
    expect(rescale({ unscaled: -125n, scale: 2 }, 1)).toEqual({ unscaled: -13n, scale: 1 });
    expect(rescale({ unscaled: 12n, scale: 0 }, 2)).toEqual({ unscaled: 1200n, scale: 2 });
  });

  it('knows integer ranges by type name', () => {
    expect(integerRange('smallint')).toEqual([-32768n, 32767n]);
    expect(integerRange('int(11) unsigned')).toEqual([0n, 4294967295n]);
    expect(integerRange('bigint')).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    expect(integerRange('numeric(10,2)')).toBeUndefined();
  });
});
