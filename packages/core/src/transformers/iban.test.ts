import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { iban, ibanValid } from './iban.ts';
import { build } from './test-context.ts';

const SAMPLES = [
  'DE89370400440532013000',
  'GB29 NWBK 6016 1331 9268 19',
  'FR1420041010050500013M02606',
  'NL91ABNA0417164300',
];

describe('iban', () => {
  it('checks mod-97', () => {
    for (const sample of SAMPLES) expect(ibanValid(sample)).toBe(true);
    expect(ibanValid('DE89370400440532013001')).toBe(false);
    expect(ibanValid('not an iban')).toBe(false);
  });

  it('writes a valid IBAN of the input country and layout, deterministic per secret', () => {
    const a = build(iban, {}, {}, { secret: 'one' });
    const a2 = build(iban, {}, {}, { secret: 'one' });
    const b = build(iban, {}, {}, { secret: 'two' });
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.string({ maxLength: 4 }), (sample, noise) => {
        const v = sample + noise;
        const out = a(v, []) as string;
        expect(ibanValid(out)).toBe(true);
        expect(out.slice(0, 2)).toBe(sample.slice(0, 2));
        expect(out.includes(' ')).toBe(v.trim().includes(' '));
        expect(a2(v, [])).toBe(out);
        expect(b(v, [])).not.toBe(out);
      }),
    );
  });

  it('falls back to DE for inputs without a known country, and obeys `country` and `formatted`', () => {
    expect(build(iban)('12345', [])).toMatch(/^DE\d{20}$/);
    expect(build(iban)('US12 3456', [])).toMatch(/^DE\d{2} \d{4} \d{4} \d{4} \d{4} \d{2}$/);
    const t = build(iban, { country: 'NL', formatted: false });
    fc.assert(
      fc.property(
        fc.string().filter((s) => s.trim() !== ''),
        (v) => {
          const out = t(v, []) as string;
          expect(out).toMatch(/^NL\d{2}[A-Z]{4}\d{10}$/);
          expect(ibanValid(out)).toBe(true);
        },
      ),
    );
  });

  it('keeps empty and blank inputs, unless shape is off', () => {
    for (const blank of ['', '  ']) {
      expect(build(iban)(blank, [])).toBe(blank);
      expect(build(iban, { country: 'NL' })(blank, [])).toBe(blank);
      expect(ibanValid(build(iban, { shape: false })(blank, []) as string)).toBe(true);
    }
  });

  it('keeps NULL', () => {
    expect(build(iban)(null, [])).toBeNull();
  });

  it('fits the column: drops grouping spaces when needed, refuses what cannot fit', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.integer({ min: 0, max: 12 }), (v, extra) => {
        const maxLength = v.replace(/ /g, '').length + extra;
        const out = build(iban, {}, { maxLength })(v, []) as string;
        expect(out.length).toBeLessThanOrEqual(maxLength);
        expect(ibanValid(out)).toBe(true);
      }),
    );
    expect(build(iban, {}, { maxLength: 22 })('DE89 3704 0044 0532 0130 00', [])).toMatch(/^DE\d{20}$/);
    expect(() => build(iban, { country: 'FR' }, { maxLength: 22 })).toThrow('a FR IBAN has 27 characters');
    expect(() => build(iban, {}, { maxLength: 22 })('FR1420041010050500013M02606', [])).toThrow(
      'iban: a FR IBAN has 27 characters',
    );
    expect(() => build(iban, { country: 'XX' })).toThrow('no IBAN format is known for country XX');
  });

  it('validates its parameters', () => {
    expect(iban.params.safeParse({ country: 'de' }).success).toBe(false);
    expect(iban.params.safeParse({ country: 'DEU' }).success).toBe(false);
    expect(iban.params.safeParse({ formatted: 'yes' }).success).toBe(false);
  });
});
