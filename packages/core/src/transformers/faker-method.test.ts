import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fakerMethodNames, fakerTransformer } from './faker-method.ts';
import { localeFaker } from './faker-locales.ts';
import { charLength } from './fit.ts';
import { letterCase } from './shape.ts';
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
      fc.property(
        fc.string().filter((s) => s.trim() !== ''),
        (v) => {
          expect(a(v, [])).toBe(a2(v, []));
          expect(a(v, [])).not.toBe(b(v, []));
        },
      ),
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
      fc.property(
        fc.string().filter((s) => s.trim() !== ''),
        (v) => {
          expect(['10', '11', '12']).toContain(t(v, []));
        },
      ),
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

  it("keeps the input's letter case, blanks and NULL; shape: false gives faker's own value", () => {
    const first = build(method('person.firstName'));
    const off = build(method('person.firstName'), { shape: false });
    const inputs = Array.from({ length: 200 }, (_, i) => `name ${i}`);
    for (const input of inputs) {
      const natural = off(input, []) as string;
      expect(first(input.toUpperCase(), [])).toBe((off(input.toUpperCase(), []) as string).toUpperCase());
      expect(first(input, [])).toBe(natural.toLowerCase());
      expect(letterCase(first(`Name ${input}`, []) as string)).toMatch(/^(sentence|title)$/);
    }
    // Sakila's upper-case names stay upper case.
    expect(letterCase(first('MARY', []) as string)).toBe('upper');
    expect(letterCase(build(method('location.city'))('SASEBO', []) as string)).toBe('upper');
    for (const blank of ['', ' ', '\t']) {
      expect(first(blank, [])).toBe(blank);
      expect(off(blank, [])).not.toBe(blank);
    }
    expect(first(null, [])).toBeNull();
    expect(off(null, [])).toBeNull();
  });

  it('keeps the layout of phones and postal codes, unless faker gets options or shape is off', () => {
    const phone = build(method('phone.number'));
    const zip = build(method('location.zipCode'));
    const pattern = (text: string) => text.replace(/\d/g, '9').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a');
    for (const input of ['030-0074321', '(171) 555-2222', '+49 30 1234567', '0921-12 34 65']) {
      const out = phone(input, []) as string;
      expect(pattern(out)).toBe(pattern(input));
      expect(out).not.toBe(input);
    }
    for (const [input, shape] of [
      ['12209', '99999'],
      ['WA1 1DP', 'AA9 9AA'],
      ['05023-000', '99999-999'],
      ['H1T 1B4', 'A9A 9A9'],
    ]) {
      expect(pattern(zip(input!, []) as string)).toBe(shape);
    }
    // A leading zero stays: 01067 is a German postal code, 1067 is not.
    expect(zip('01067', [])).toMatch(/^0\d{4}$/);
    // Nothing to keep in an input without digits: faker's own value, in its own case.
    expect(build(method('location.zipCode'), { shape: false })('n/a', [])).toBe(zip('n/a', []));
    expect(build(method('location.zipCode'), { format: '###' })('WA1 1DP', [])).toMatch(/^\d{3}$/);
    expect(build(method('phone.number'), { shape: false })('030-0074321', [])).not.toMatch(/^\d{3}-\d{7}$/);
  });

  it('fits short columns with whole values, drawn deterministically, not cut words', () => {
    const countries = new Set(localeFaker('en')!.rawDefinitions.location!.country as string[]);
    const country = build(method('location.country'), {}, { maxLength: 15 });
    const again = build(method('location.country'), {}, { maxLength: 15 });
    const wide = build(method('location.country'));
    let redrawn = 0;
    for (let i = 0; i < 500; i++) {
      const out = country(`#${i}`, []) as string;
      expect(countries.has(out), out).toBe(true);
      expect(charLength(out)).toBeLessThanOrEqual(15);
      expect(again(`#${i}`, [])).toBe(out);
      // A value that fits is the one a wide column gets; only the others are drawn again.
      const natural = wide(`#${i}`, []) as string;
      if (charLength(natural) <= 15) expect(out).toBe(natural);
      else redrawn++;
    }
    expect(redrawn).toBeGreaterThan(10);
    const city = build(method('location.city'), {}, { maxLength: 15 });
    const wideCity = build(method('location.city'));
    for (let i = 0; i < 500; i++) {
      const out = city(`#${i}`, []) as string;
      const natural = wideCity(`#${i}`, []) as string;
      expect(charLength(out)).toBeLessThanOrEqual(15);
      if (charLength(natural) <= 15) expect(out).toBe(natural);
      else expect(natural.startsWith(out)).toBe(false);
    }
  });
});
