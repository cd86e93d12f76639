import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { build } from './test-context.ts';
import { uuid } from './uuid.ts';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuid', () => {
  it('writes a version-4 UUID, deterministic per secret', () => {
    const a = build(uuid, {}, { category: 'uuid' }, { secret: 'one' });
    const a2 = build(uuid, {}, { category: 'uuid' }, { secret: 'one' });
    const b = build(uuid, {}, { category: 'uuid' }, { secret: 'two' });
    fc.assert(
      fc.property(fc.uuid(), (v) => {
        const out = a(v, []) as string;
        expect(out).toMatch(V4);
        expect(a2(v, [])).toBe(out);
        expect(b(v, [])).not.toBe(out);
        expect(out).not.toBe(v);
      }),
    );
  });

  it('keeps NULL', () => {
    expect(build(uuid)(null, [])).toBeNull();
  });

  it('keeps the input spelling: upper case and bare hex', () => {
    const t = build(uuid);
    expect(t('0E984725-C51C-4BF4-9960-E1C80E27ABA0', [])).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
    );
    expect(t('0e984725c51c4bf49960e1c80e27aba0', [])).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(t('not a uuid at all', [])).toMatch(V4);
  });

  it('fits the column: bare hex below 36 characters, an error below 32', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 32, max: 60 }), (v, maxLength) => {
        expect((build(uuid, {}, { maxLength })(v, []) as string).length).toBeLessThanOrEqual(maxLength);
      }),
    );
    expect(() => build(uuid, {}, { maxLength: 31 })).toThrow('too short for a UUID');
  });

  it('rarely maps distinct inputs to one UUID', () => {
    const t = build(uuid);
    expect(new Set(Array.from({ length: 10000 }, (_, i) => t(i, []))).size).toBe(10000);
  });
});
