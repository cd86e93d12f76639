import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { template } from './template.ts';
import { build, testColumn } from './test-context.ts';

/** The masked column `c` is row[0]; `id` and `city` follow it. */
const otherColumns = [testColumn({ name: 'id', category: 'integer' }), testColumn({ name: 'city' })];
const make = (text: string, column = {}, options = {}) =>
  build(template, { template: text }, column, { otherColumns, ...options });

describe('template', () => {
  it('fills row columns and faker methods', () => {
    const out = make('{{person.firstName}}.{{row.id}}@example.org')('jane', ['jane', 42, 'Oslo']) as string;
    expect(out).toMatch(/^[A-Za-z' -]+\.42@example\.org$/);
    expect(make('{{ row.city }}/{{row.id}}')('x', ['x', null, 'Oslo'])).toBe('Oslo/');
  });

  it('is deterministic per value and secret, whatever the rest of the row', () => {
    const a = make('{{person.firstName}} {{person.lastName}}', {}, { secret: 'one' });
    const a2 = make('{{person.firstName}} {{person.lastName}}', {}, { secret: 'one' });
    const b = make('{{person.firstName}} {{person.lastName}}', {}, { secret: 'two' });
    let same = 0;
    fc.assert(
      fc.property(fc.string(), fc.integer(), (v, id) => {
        const out = a(v, [v, id, 'x']);
        expect(a2(v, [v, id + 1, 'y'])).toBe(out);
        if (b(v, [v, id, 'x']) === out) same++;
      }),
    );
    expect(same).toBeLessThanOrEqual(2);
  });

  it('draws different values for two placeholders of one method', () => {
    const t = make('{{person.lastName}}|{{person.lastName}}');
    const pairs = Array.from({ length: 50 }, (_, i) => (t(`v${i}`, [`v${i}`, 1, 'x']) as string).split('|'));
    expect(pairs.filter(([x, y]) => x !== y).length).toBeGreaterThan(40);
  });

  it('keeps NULL', () => {
    expect(make('{{row.id}}')(null, [null, 1, 'x'])).toBeNull();
  });

  it('fits the column', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 12 }), (v, maxLength) => {
        const out = make('{{lorem.sentence}} {{row.city}}', { maxLength })(v, [v, 1, 'Reykjavík']) as string;
        expect([...out].length).toBeLessThanOrEqual(maxLength);
      }),
    );
  });

  it('refuses unknown columns, its own column, unknown names and unbalanced braces before any row', () => {
    expect(() => make('{{row.nope}}')).toThrow('unknown column "nope" in {{row.nope}}');
    expect(() => make('x{{row.c}}')).toThrow('{{row.c}} would copy the value being masked');
    expect(() => make('{{person.nope}}')).toThrow('{{person.nope}} is neither row.COLUMN nor a faker method');
    expect(() => make('{{email}}')).toThrow('neither row.COLUMN nor a faker method');
    expect(() => make('{{row.id}')).toThrow('unbalanced');
    expect(() => make('a }} b')).toThrow('unbalanced');
    expect(template.params.safeParse({}).success).toBe(false);
    expect(template.params.safeParse({ template: '' }).success).toBe(false);
  });
});
