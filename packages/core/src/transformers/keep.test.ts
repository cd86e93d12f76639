import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keep } from './keep.ts';
import { build } from './test-context.ts';

const anyValue = fc.oneof(fc.string(), fc.integer(), fc.bigInt(), fc.boolean(), fc.constant(null));

describe('keep', () => {
  it('returns every value unchanged, NULL included', () => {
    const t = build(keep);
    fc.assert(
      fc.property(anyValue, (v) => {
        expect(t(v, [])).toBe(v);
      }),
    );
    const buffer = Buffer.from('abc');
    expect(t(buffer, [])).toBe(buffer);
  });

  it('takes no parameters', () => {
    expect(keep.params.safeParse({ value: 1 }).success).toBe(false);
  });
});
