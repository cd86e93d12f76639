import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noise } from './noise.ts';
import { build } from './test-context.ts';

const intColumn = { category: 'integer', dataType: 'integer' } as const;

describe('noise', () => {
  it('keeps integers integers within ±absolute, never unchanged', () => {
    const t = build(noise, { absolute: 5 }, intColumn);
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), (v) => {
        const out = t(String(v), []) as string;
        expect(out).toMatch(/^-?\d+$/);
        const delta = Math.abs(Number(out) - v);
        expect(delta).toBeGreaterThanOrEqual(1);
        expect(delta).toBeLessThanOrEqual(5);
      }),
    );
  });

  it('keeps the scale of decimals and stays within ±percent', () => {
    const t = build(noise, { percent: 10 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 1, max: 6 }), (units, scale) => {
        const text = (units / 10 ** scale).toFixed(scale);
        const out = t(text, []) as string;
        expect(out).toMatch(new RegExp(`^\\d+\\.\\d{${scale}}$`));
        expect(Math.abs(Number(out) - Number(text))).toBeLessThanOrEqual(Number(text) * 0.1 + 1e-9);
      }),
    );
  });

  it('uses the column scale when there is one', () => {
    expect(build(noise, { absolute: 1 }, { category: 'decimal', precision: 8, scale: 2 })('12.5', [])).toMatch(
      /^1[1-3]\.\d{2}$/,
    );
  });

  it('returns the input JS type', () => {
    const t = build(noise, { percent: 20 }, intColumn);
    expect(typeof t(1000, [])).toBe('number');
    expect(Number.isInteger(t(1000, []))).toBe(true);
    expect(typeof t(1000n, [])).toBe('bigint');
    expect(typeof t('1000', [])).toBe('string');
    const f = build(noise, { percent: 20 }, { category: 'float' })(2.5, []) as number;
    expect(Math.abs(f - 2.5)).toBeLessThanOrEqual(0.5);
  });

  it('gives whole-number floats decimals, so noise does not round away', () => {
    const out = build(noise, { percent: 10 }, { category: 'float' })('3', []) as string;
    expect(out).toMatch(/^\d\.\d{2}$/);
    expect(out).not.toBe('3.00');
  });

  it('keeps every digit of huge integers', () => {
    const out = build(
      noise,
      { absolute: 1 },
      { category: 'integer', dataType: 'numeric' },
    )('123456789012345678901234567890', []);
    expect(['123456789012345678901234567889', '123456789012345678901234567891']).toContain(out);
  });

  it('stays inside the column: precision and integer range', () => {
    const dec = build(noise, { absolute: 100 }, { category: 'decimal', precision: 4, scale: 2 });
    for (let i = 0; i < 50; i++)
      expect(Math.abs(Number(dec(`99.${String(i).padStart(2, '0')}`, [])))).toBeLessThanOrEqual(99.99);
    const small = build(noise, { absolute: 1000 }, { category: 'integer', dataType: 'smallint' });
    for (let i = 0; i < 50; i++) expect(Number(small(32767 - i, []))).toBeLessThanOrEqual(32767);
    // SQLite's INTEGER is 64-bit: an input beyond int4 is not clamped to it.
    expect(Number(build(noise, { absolute: 1 }, intColumn)(5_000_000_000, []))).toBeGreaterThan(4_999_999_998);
  });

  it('is deterministic per secret and differs across secrets', () => {
    const a = build(noise, { percent: 50 }, {}, { secret: 'one' });
    const b = build(noise, { percent: 50 }, {}, { secret: 'two' });
    let same = 0;
    fc.assert(
      fc.property(fc.integer({ min: 1e6, max: 1e9 }), (v) => {
        expect(a(String(v), [])).toBe(build(noise, { percent: 50 }, {}, { secret: 'one' })(String(v), []));
        if (a(String(v), []) === b(String(v), [])) same++;
      }),
    );
    expect(same).toBeLessThan(3);
  });

  it('keeps NULL and the float specials, and refuses text without printing it', () => {
    const t = build(noise, { percent: 5 });
    expect(t(null, [])).toBeNull();
    for (const v of ['NaN', 'Infinity', '-Infinity']) expect(t(v, [])).toBe(v);
    expect(() => t('call 555-0100', [])).toThrow('noise: value is not a number');
    expect(() => t(true, [])).toThrow('not a number');
  });

  it('needs exactly one of percent and absolute', () => {
    expect(noise.params.safeParse({}).success).toBe(false);
    expect(noise.params.safeParse({ percent: 1, absolute: 1 }).success).toBe(false);
    expect(noise.params.safeParse({ percent: -1 }).success).toBe(false);
    expect(noise.params.safeParse({ absolute: 0.5 }).success).toBe(true);
  });
});
