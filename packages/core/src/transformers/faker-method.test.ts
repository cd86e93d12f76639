import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakerMethodNames, fakerTransformer } from './faker-method.ts';
import { build } from './test-context.ts';

const method = (name: string) => {
  const definition = fakerTransformer(name);
  if (!definition) throw new Error(`no faker method ${name}`);
  return definition;
};

describe('faker methods', () => {
  it('resolves module.method names that are functions', () => {
    for (const name of ['person.firstName', 'location.city', 'company.name', 'internet.username']) {
      expect(fakerTransformer(name)?.name).toBe(name);
    }
    expect(fakerTransformer('person.firstName')).toBe(fakerTransformer('person.firstName'));
  });

  it('rejects unknown names, non-functions and helpers', () => {
    const names = [
      'person.nope',
      'person',
      'person.firstName.x',
      'fakerCore.locale',
      'person.constructor',
      'helpers.arrayElement',
    ];
    for (const name of [...names, '__proto__.toString', 'internet.userName']) {
      expect(fakerTransformer(name)).toBeUndefined();
    }
  });

  it('lists every method once', () => {
    const names = fakerMethodNames();
    expect(names).toContain('person.firstName');
    expect(names).toContain('date.birthdate');
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => /^[a-z]+\.[a-zA-Z0-9]+$/.test(n))).toBe(true);
  });

  it('is deterministic per secret and differs across secrets', () => {
    const a = build(method('internet.password'), {}, {}, { secret: 'one' });
    const a2 = build(method('internet.password'), {}, {}, { secret: 'one' });
    const b = build(method('internet.password'), {}, {}, { secret: 'two' });
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(a(v, [])).toBe(a2(v, []));
        expect(a(v, [])).not.toBe(b(v, []));
      }),
    );
  });

  it('gives distinct inputs varied outputs', () => {
    const t = build(method('person.lastName'));
    const outputs = new Set(Array.from({ length: 300 }, (_, i) => t(`name ${i}`, [])));
    expect(outputs.size).toBeGreaterThan(150);
  });

  it('keeps NULL', () => {
    expect(build(method('person.firstName'))(null, [])).toBeNull();
  });

  it('uses the locale, and refuses an unknown one', () => {
    const en = build(method('location.city'), {}, {}, { locale: 'en' });
    const de = build(method('location.city'), {}, {}, { locale: 'de-AT' });
    const differs = Array.from({ length: 20 }, (_, i) => en(`v${i}`, []) !== de(`v${i}`, [])).filter(Boolean).length;
    expect(differs).toBeGreaterThan(15);
    expect(() => build(method('location.city'), {}, {}, { locale: 'xx' })).toThrow('unknown faker locale "xx"');
  });

  it('passes options through, and checks them before any row moves', () => {
    const t = build(method('number.int'), { min: 10, max: 12 });
    fc.assert(
      fc.property(fc.string(), (v) => {
        expect(['10', '11', '12']).toContain(t(v, []));
      }),
    );
    expect(() => build(method('date.between'))).toThrow("faker's date.between() rejects these options");
  });

  it('writes text cut to the column, dates as ISO and days for date columns', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 8 }), (v, maxLength) => {
        expect([...(build(method('lorem.sentence'), {}, { maxLength })(v, []) as string)].length).toBeLessThanOrEqual(
          maxLength,
        );
      }),
    );
    expect(build(method('date.birthdate'), {}, { category: 'timestamp' })('x', [])).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/,
    );
    expect(build(method('date.birthdate'), {}, { category: 'date' })('x', [])).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(build(method('location.nearbyGPSCoordinate'))('x', [])).toMatch(/^\[-?[\d.]+,-?[\d.]+\]$/);
  });

  it('does not drift with the clock', () => {
    const t = build(method('date.past'));
    expect(t('x', [])).toBe(build(method('date.past'))('x', []));
    expect(Date.parse(t('x', []) as string)).toBeLessThan(Date.parse('2025-01-01T00:00:00Z'));
  });
});
