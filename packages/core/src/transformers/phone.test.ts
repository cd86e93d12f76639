import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { phone } from './phone.ts';
import { build } from './test-context.ts';

/** Phone-like inputs: digits, spaces, + ( ) - . and an occasional `ext`. */
const phoneText = fc.stringMatching(/^\+?[0-9 ()\-.]{4,20}( ext\. [0-9]{1,4})?$/);

/** Digits become digits, letters letters, and everything else stays where it was. */
function sameShape(input: string, output: string): boolean {
  if (input.length !== output.length) return false;
  return [...input].every((ch, i) => {
    const out = output[i]!;
    if (/[0-9]/.test(ch)) return /[0-9]/.test(out);
    if (/[a-z]/.test(ch)) return /[a-z]/.test(out);
    if (/[A-Z]/.test(ch)) return /[A-Z]/.test(out);
    return ch === out;
  });
}

describe('phone', () => {
  it('keeps the input shape with new digits, deterministic per secret', () => {
    const a = build(phone, {}, {}, { secret: 'one' });
    const a2 = build(phone, {}, {}, { secret: 'one' });
    const b = build(phone, {}, {}, { secret: 'two' });
    let same = 0;
    fc.assert(
      fc.property(phoneText, (v) => {
        const out = a(v, []) as string;
        expect(sameShape(v, out)).toBe(true);
        expect(a2(v, [])).toBe(out);
        // Inputs with few digits have few outputs; count only those with enough digits to differ.
        if (b(v, []) === out && (v.match(/[0-9]/g)?.length ?? 0) >= 6) same++;
      }),
    );
    expect(same).toBeLessThanOrEqual(2);
  });

  it('keeps a leading zero as a zero and a leading non-zero as non-zero', () => {
    const t = build(phone);
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{6,12}$/), (v) => {
        const out = t(v, []) as string;
        expect(out[0] === '0').toBe(v[0] === '0');
      }),
    );
    expect(t('+1 (415) 555-0100 ext. 12', [])).toMatch(/^\+[1-9] \(\d{3}\) \d{3}-\d{4} [a-z]{3}\. \d{2}$/);
  });

  it('keeps empty and blank inputs, with a format too, unless shape is off', () => {
    for (const blank of ['', '  ']) {
      expect(build(phone)(blank, [])).toBe(blank);
      expect(build(phone, { format: '+1 ###-###-####' })(blank, [])).toBe(blank);
      expect(build(phone, { format: '+1 ###-###-####', shape: false })(blank, [])).toMatch(/^\+1 \d{3}-\d{3}-\d{4}$/);
    }
  });

  it('keeps the layout of digits and separators: 030-0074321 stays NNN-NNNNNNN', () => {
    const t = build(phone);
    for (const input of ['030-0074321', '(171) 555-7788', '+49 (30) 1234567', '0621-08460']) {
      const out = t(input, []) as string;
      expect(out.replace(/\d/g, 'N')).toBe(input.replace(/\d/g, 'N'));
      expect(out).not.toBe(input);
    }
  });

  it('fills a format', () => {
    const t = build(phone, { format: '+1 ###-###-####' });
    fc.assert(
      fc.property(
        fc.string().filter((s) => s.trim() !== ''),
        (v) => {
          expect(t(v, [])).toMatch(/^\+1 \d{3}-\d{3}-\d{4}$/);
        },
      ),
    );
  });

  it('keeps NULL', () => {
    expect(build(phone)(null, [])).toBeNull();
    expect(build(phone, { format: '###' })(null, [])).toBeNull();
  });

  it('fits the column: same length as the input, a too-long format refused', () => {
    fc.assert(
      fc.property(phoneText, (v) => {
        expect((build(phone, {}, { maxLength: v.length })(v, []) as string).length).toBe(v.length);
      }),
    );
    expect(() => build(phone, { format: '+1 ###-###-####' }, { maxLength: 10 })).toThrow('more than the column');
  });

  it('validates its parameters', () => {
    expect(phone.params.safeParse({ format: '123-456' }).success).toBe(false);
    expect(phone.params.safeParse({ formt: '###' }).success).toBe(false);
  });
});
