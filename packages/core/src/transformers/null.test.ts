import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nullTransformer } from './null.ts';
import { build } from './test-context.ts';

describe('null', () => {
  it('writes NULL for every value', () => {
    const t = build(nullTransformer);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer(), fc.constant(null)), (v) => {
        expect(t(v, [])).toBeNull();
      }),
    );
  });

  it('refuses a NOT NULL column before any row moves', () => {
    expect(() => build(nullTransformer, {}, { nullable: false })).toThrow('NOT NULL');
  });
});
