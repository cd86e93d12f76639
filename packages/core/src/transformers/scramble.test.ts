import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DigestRandom } from './prng.ts';
import { scramble, scrambleText } from './scramble.ts';
import { build } from './test-context.ts';

/** The character class scramble must keep: upper, lower, digit, or the character itself. */
function shape(text: string): string {
  return [...text]
    .map((c) => (/\p{Lu}|\p{Lt}/u.test(c) ? 'A' : /\p{L}/u.test(c) ? 'a' : /\p{Nd}/u.test(c) ? '9' : c))
    .join('');
}

describe('scramble', () => {
  it('keeps length and character classes', () => {
    const t = build(scramble);
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), (v) => {
        const out = t(v, []) as string;
        expect(shape(out)).toBe(shape(v));
        expect([...out]).toHaveLength([...v].length);
      }),
    );
    expect(t('AB-12 c.d@e', [])).toMatch(/^[A-Z]{2}-\d{2} [a-z]\.[a-z]@[a-z]$/);
  });

  it('writes ASCII letters and digits only in place of letters and digits', () => {
    expect(build(scramble)('Ünïcode ß 漢字 ٣', [])).toMatch(/^[A-Z][a-z]{6} [a-z] [a-z]{2} \d$/);
  });

  it('is deterministic per secret and differs across secrets', () => {
    const a = build(scramble, {}, {}, { secret: 'one' });
    const a2 = build(scramble, {}, {}, { secret: 'one' });
    const b = build(scramble, {}, {}, { secret: 'two' });
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9]{12,40}$/), (v) => {
        expect(a(v, [])).toBe(a2(v, []));
        expect(a(v, [])).not.toBe(b(v, []));
      }),
    );
  });

  it('keeps NULL and values without letters or digits', () => {
    expect(build(scramble)(null, [])).toBeNull();
    expect(build(scramble)('-- / --', [])).toBe('-- / --');
  });

  it('does not repeat itself in values longer than a digest', () => {
    const out = build(scramble)('a'.repeat(200), []) as string;
    expect(out.slice(0, 32)).not.toBe(out.slice(32, 64));
    expect(new Set(out).size).toBeGreaterThan(20);
  });

  it('keeps numbers numbers of the same magnitude', () => {
    const t = build(scramble, {}, { category: 'integer' });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 52 }), (v) => {
        const out = t(v, []) as number;
        expect(typeof out).toBe('number');
        expect(String(out)).toHaveLength(String(v).length);
      }),
    );
    expect(typeof t(-123456789012345678901234n, [])).toBe('bigint');
    expect(String(t(0.25, []))).toMatch(/^0\.\d\d$/);
  });

  it('keeps Buffers Buffers', () => {
    const out = build(scramble)(Buffer.from('Ab1'), []);
    expect(Buffer.isBuffer(out) && /^[A-Z][a-z]\d$/.test(out.toString())).toBe(true);
  });

  it('keeps the exponent of a number written with one', () => {
    expect(scrambleText('1.5e+21', new DigestRandom(Buffer.alloc(32, 7)), true)).toMatch(/^[1-9]\.\de\+21$/);
  });
});
