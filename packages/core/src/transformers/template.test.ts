import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { template } from './template.ts';
import { build, testColumn, testContext } from './test-context.ts';

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
    expect(() => make('{{person.nope}}')).toThrow(
      '{{person.nope}} is neither row.COLUMN, masked.COLUMN nor a faker method',
    );
    expect(() => make('{{email}}')).toThrow('neither row.COLUMN, masked.COLUMN nor a faker method');
    expect(() => make('{{row.id}')).toThrow('unbalanced');
    expect(() => make('a }} b')).toThrow('unbalanced');
    expect(template.params.safeParse({}).success).toBe(false);
    expect(template.params.safeParse({ template: '' }).success).toBe(false);
  });
});

describe('template: {{masked.COLUMN}} and filters', () => {
  /** The engine's masked row: `first` and `last` hold masked names at indexes 1 and 2. */
  const columns = [testColumn({ name: 'first' }), testColumn({ name: 'last' })];
  const withMasked = (text: string, attempt = 0, column = {}) => {
    const reads: string[] = [];
    const context = {
      ...testContext(column, { domain: 'template', otherColumns: columns }),
      maskedIndex: (name: string) => {
        reads.push(name);
        return ['c', 'first', 'last'].indexOf(name);
      },
      attempt,
    };
    return { transform: template.create(template.params.parse({ template: text }), context), reads };
  };

  it('inserts masked values, declares what it reads, and filters', () => {
    const { transform, reads } = withMasked('{{masked.first | lower}}.{{ masked.last | slug }}@example.com');
    expect(reads).toEqual(['first', 'last']);
    expect(transform('x', ['x', 'Mary', 'Smith'], ['?', 'José', 'Núñez-Øster'])).toBe('josé.nunezoster@example.com');
    expect(transform('x', ['x', 'a', 'b'], ['?', null, 'B'])).toBe('.b@example.com');
    expect(transform(null, ['x', 'a', 'b'], ['?', 'A', 'B'])).toBeNull();
    expect(() => transform('x', ['x', 'a', 'b'])).toThrow('{{masked.…}} has no masked row here');
  });

  it('filters row values and faker values too', () => {
    const t = make('{{row.city | upper}}-{{row.city | initial | lower}}-{{person.lastName | slug}}');
    expect(t('v', ['v', 1, 'Reykjavík'])).toMatch(/^REYKJAVÍK-r-[a-z]+$/);
  });

  it('refuses {{masked.…}} where no masked row exists (outside a column rule)', () => {
    expect(() => make('{{masked.city}}')).toThrow('masked values exist only in a column');
  });

  it('numbers its variants after the last placeholder when it draws nothing at random', () => {
    const masked = ['?', 'Mary', 'Smith'];
    const base = withMasked('{{masked.last | lower}}@example.com').transform('k', ['k'], masked);
    const one = withMasked('{{masked.last | lower}}@example.com', 1).transform('k', ['k'], masked);
    const two = withMasked('{{masked.last | lower}}@example.com', 2).transform('k', ['k'], masked);
    expect(base).toBe('smith@example.com');
    expect(one).toMatch(/^smith\d{1,2}@example\.com$/);
    expect(two).toMatch(/^smith\d{1,3}@example\.com$/);
    // The number comes from the value's keyed hash: another value, most often another number.
    const others = new Set(
      Array.from({ length: 50 }, (_, i) => withMasked('{{masked.last}}', 1).transform(`k${i}`, [], masked)),
    );
    expect(others.size).toBeGreaterThan(30);
    // A template with a faker method varies by drawing other fakes, and gets no number.
    const faked = withMasked('{{person.lastName}}@example.com', 1).transform('k', ['k'], masked) as string;
    expect(faked).toMatch(/^[A-Za-z' -]+@example\.com$/);
  });
});
