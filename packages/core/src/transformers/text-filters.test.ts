import { describe, expect, it } from 'vitest';
import { parseFilters, slug, TEXT_FILTERS } from './text-filters.ts';

describe('template filters', () => {
  it('lower, upper, capitalize, title, initial', () => {
    const { lower, upper, capitalize, title, initial } = TEXT_FILTERS;
    expect(lower!('MARY Ann')).toBe('mary ann');
    expect(upper!('straße')).toBe('STRASSE');
    expect(capitalize!('mARY ann')).toBe('Mary ann');
    expect(capitalize!('')).toBe('');
    expect(title!("anne-marie o'NEIL van dyke")).toBe("Anne-Marie O'Neil Van Dyke");
    expect(initial!('María')).toBe('M');
    expect(initial!(' (Émile)')).toBe('É');
    expect(initial!('--')).toBe('');
  });

  it('slug keeps ASCII letters and digits, lower case, diacritics folded', () => {
    expect(slug('José María')).toBe('josemaria');
    expect(slug("O'Brien-Smith 3rd")).toBe('obriensmith3rd');
    expect(slug('Straße Øre Łódź Þór Æsir')).toBe('strasseorelodzthoraesir');
    expect(slug('漢字')).toBe('');
  });

  it('chains left to right and names an unknown filter with the known ones', () => {
    expect(parseFilters([], 'x')).toBeUndefined();
    expect(parseFilters(['initial', 'lower'], 'x')!('María')).toBe('m');
    expect(parseFilters(['slug', 'upper'], 'x')!('José')).toBe('JOSE');
    expect(() => parseFilters(['uper'], 'masked.a | uper')).toThrow(
      'unknown filter "uper" in {{masked.a | uper}} (did you mean upper?) ' +
        '(filters: lower, upper, capitalize, title, slug, initial)',
    );
  });
});
