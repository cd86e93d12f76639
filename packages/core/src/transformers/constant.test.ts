import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { constant } from './constant.ts';
import { build } from './test-context.ts';

describe('constant', () => {
  it('replaces every non-NULL value and keeps NULL', () => {
    const t = build(constant, { value: 'n/a' });
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(t(v, [])).toBe('n/a');
      }),
    );
    expect(t(null, [])).toBeNull();
  });

  it('writes numbers and booleans as given', () => {
    expect(build(constant, { value: 0 })('42', [])).toBe(0);
    expect(build(constant, { value: false })('t', [])).toBe(false);
  });

  it('requires `value` and rejects unknown parameters', () => {
    expect(constant.params.safeParse({}).success).toBe(false);
    expect(constant.params.safeParse({ value: 'x', other: 1 }).success).toBe(false);
  });

  it('refuses a text longer than the column instead of cutting it', () => {
    expect(() => build(constant, { value: 'abcdef' }, { maxLength: 5 })).toThrow('maximum length 5');
    expect(build(constant, { value: 'abcde' }, { maxLength: 5 })('x', [])).toBe('abcde');
  });
});
