import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charLength } from './fit.ts';
import { partial } from './partial.ts';
import { build } from './test-context.ts';

describe('partial', () => {
  it('keeps the last 4 characters by default', () => {
    expect(build(partial)('4111111111111111', [])).toBe('************1111');
  });

  it('keeps first and last characters with a custom mask', () => {
    expect(build(partial, { keepFirst: 2, keepLast: 2, char: '#' })('+49 170 1234567', [])).toBe('+4###########67');
  });

  it('masks numbers as text', () => {
    expect(build(partial)(123456789, [])).toBe('*****6789');
  });

  it('masks a value too short to keep anything whole', () => {
    expect(build(partial)('1234', [])).toBe('****');
    expect(build(partial, { keepFirst: 1, keepLast: 1 })('ab', [])).toBe('**');
  });

  it('keeps length and the kept ends, and masks the rest', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 0, maxLength: 30 }),
        fc.nat(5),
        fc.nat(5),
        (v, keepFirst, keepLast) => {
          const out = build(partial, { keepFirst, keepLast })(v, []) as string;
          const chars = [...v];
          expect(charLength(out)).toBe(chars.length);
          if (chars.length > keepFirst + keepLast) {
            expect(out.startsWith(chars.slice(0, keepFirst).join(''))).toBe(true);
            expect(out.endsWith(chars.slice(chars.length - keepLast).join(''))).toBe(true);
            expect([...out].slice(keepFirst, chars.length - keepLast).every((c) => c === '*')).toBe(true);
          } else {
            expect(out).toBe('*'.repeat(chars.length));
          }
        },
      ),
    );
  });

  it('keeps NULL and needs no secret', () => {
    expect(build(partial)(null, [])).toBeNull();
    expect(build(partial, {}, {}, { secret: 'a' })('abcdefgh', [])).toBe(
      build(partial, {}, {}, { secret: 'b' })('abcdefgh', []),
    );
  });

  it('validates its parameters', () => {
    expect(partial.params.safeParse({ char: '**' }).success).toBe(false);
    expect(partial.params.safeParse({ keepLast: -1 }).success).toBe(false);
    expect(partial.params.parse({ char: '😀' }).char).toBe('😀');
  });
});
