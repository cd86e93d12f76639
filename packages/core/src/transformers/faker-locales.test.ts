import { describe, expect, it } from 'vitest';
import { fakerLocaleNames, localeFaker, newFaker } from './faker-locales.ts';

describe('faker locales, loaded one at a time', () => {
  it('lists every locale faker ships, sorted', () => {
    const names = fakerLocaleNames();
    expect(names.length).toBeGreaterThanOrEqual(70);
    expect(names).toEqual([...names].sort());
    for (const name of ['base', 'de', 'de_AT', 'en', 'ja', 'zh_CN']) expect(names).toContain(name);
    expect(names).not.toContain('de-AT');
  });

  it("gives faker's own instance with its fallbacks, and nothing for an unknown locale", () => {
    const austrian = localeFaker('de_AT')!;
    expect(austrian).toBe(localeFaker('de_AT'));
    // de_AT has its own first names; words it lacks come from de, then en.
    expect(austrian.rawDefinitions.person?.first_name).toBeDefined();
    expect(austrian.rawDefinitions.lorem?.word).toBeDefined();
    expect(localeFaker('xx_YY')).toBeUndefined();
    expect(localeFaker('../locale/en')).toBeUndefined();
  });

  it('makes new fakers that draw from the randomizer given', () => {
    const draw = (): string[] => {
      let i = 0;
      const faker = newFaker('fr', { randomizer: { next: () => ((i++ * 0.37) % 1), seed: () => {} } });
      return [faker.person.lastName(), faker.location.city()];
    };
    expect(draw()).toEqual(draw());
    expect(localeFaker('fr')!.rawDefinitions.person?.last_name?.generic).toContain(draw()[0]);
    expect(() => newFaker('nope', {})).toThrow(/faker has no locale "nope"/);
  });
});
