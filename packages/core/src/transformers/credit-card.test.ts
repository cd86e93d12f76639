import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { creditCard, luhnValid } from './credit-card.ts';
import { build } from './test-context.ts';

/** Card numbers as people store them: 13–19 digits, plain or grouped by spaces or dashes. */
const cardText = fc
  .tuple(fc.stringMatching(/^[3-6][0-9]{12,18}$/), fc.constantFrom('', ' ', '-'))
  .map(([digits, sep]) => (sep ? digits.replace(/(\d{4})(?=\d)/g, `$1${sep}`) : digits));

const digitsOf = (s: string) => s.replace(/[^0-9]/g, '');

describe('creditCard', () => {
  it('checks Luhn', () => {
    expect(luhnValid('4539578763621486')).toBe(true);
    expect(luhnValid('4539578763621487')).toBe(false);
    expect(luhnValid('79927398713')).toBe(true);
  });

  it('writes a Luhn-valid number in the input layout, deterministic per secret', () => {
    const a = build(creditCard, {}, {}, { secret: 'one' });
    const a2 = build(creditCard, {}, {}, { secret: 'one' });
    const b = build(creditCard, {}, {}, { secret: 'two' });
    fc.assert(
      fc.property(cardText, (v) => {
        const out = a(v, []) as string;
        expect(luhnValid(digitsOf(out))).toBe(true);
        expect(out.replace(/[0-9]/g, '#')).toBe(v.replace(/[0-9]/g, '#'));
        expect(out[0]).toMatch(/[3-6]/);
        expect(a2(v, [])).toBe(out);
        expect(b(v, [])).not.toBe(out);
      }),
    );
  });

  it('keeps a prefix of the input when asked', () => {
    const t = build(creditCard, { keepPrefix: 6 });
    fc.assert(
      fc.property(cardText, (v) => {
        const out = t(v, []) as string;
        expect(digitsOf(out).slice(0, 6)).toBe(digitsOf(v).slice(0, 6));
        expect(luhnValid(digitsOf(out))).toBe(true);
      }),
    );
  });

  it('fills a format, keeping its literal digits', () => {
    const t = build(creditCard, { format: '4### #### #### ####' });
    fc.assert(
      fc.property(
        fc.string().filter((s) => s.trim() !== ''),
        (v) => {
          const out = t(v, []) as string;
          expect(out).toMatch(/^4\d{3} \d{4} \d{4} \d{4}$/);
          expect(luhnValid(digitsOf(out))).toBe(true);
        },
      ),
    );
  });

  it('keeps empty and blank inputs, unless shape is off', () => {
    for (const blank of ['', '   ', '\t']) {
      expect(build(creditCard)(blank, [])).toBe(blank);
      expect(build(creditCard, { format: '#### #### #### ####' })(blank, [])).toBe(blank);
      expect(build(creditCard, { shape: false })(blank, [])).toMatch(/^\d{16}$/);
    }
  });

  it('writes 16 digits, cut to the column, for inputs that are no card number', () => {
    expect(build(creditCard)('n/a', [])).toMatch(/^\d{16}$/);
    const short = build(creditCard, {}, { maxLength: 13 })('n/a', []) as string;
    expect(short).toMatch(/^\d{13}$/);
    expect(luhnValid(short)).toBe(true);
  });

  it('keeps NULL', () => {
    expect(build(creditCard)(null, [])).toBeNull();
  });

  it('fits the column, and refuses columns too short for a card', () => {
    fc.assert(
      fc.property(cardText, (v) => {
        expect((build(creditCard, {}, { maxLength: v.length })(v, []) as string).length).toBe(v.length);
      }),
    );
    expect(() => build(creditCard, {}, { maxLength: 11 })).toThrow('too short for a card number');
    expect(() => build(creditCard, { format: '#### #### #### ####' }, { maxLength: 16 })).toThrow(
      'more than the column',
    );
  });

  it('validates its parameters', () => {
    expect(creditCard.params.safeParse({ format: '#### ####-1' }).success).toBe(false);
    expect(creditCard.params.safeParse({ format: '#' }).success).toBe(false);
    expect(creditCard.params.safeParse({ keepPrefix: 9 }).success).toBe(false);
  });
});
