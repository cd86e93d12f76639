import { describe, expect, it } from 'vitest';
import type { Row } from '../dialects/dialect.ts';
import { addressCountry, ADDRESS_LOCALES } from './address-data.ts';
import { ColumnGroup } from './column-group.ts';
import { GROUP_MEMBERS, groupMemberProblem } from './group-members.ts';
import { createKeyedHash } from './keyed-hash.ts';
import { slug } from './text-filters.ts';
import { testColumn } from './test-context.ts';

/** A group over columns 0–4 of rows `[first, last, email, city, zip]`. */
const group = (secret = 'secret', locale = 'en') =>
  new ColumnGroup('g', [0, 1, 2, 3, 4], createKeyedHash(secret, 'group g'), locale);
const member = (g: ColumnGroup, name: string, params = {}, attempt = 0, column = testColumn()) =>
  GROUP_MEMBERS[name]!.create(GROUP_MEMBERS[name]!.params.parse(params), column, g, attempt);
const rows: Row[] = Array.from({ length: 300 }, (_, i) => [`F${i}`, `L${i % 7}`, `e${i}@x.org`, `C${i % 5}`, '12209']);

describe('column groups', () => {
  it('makes a person whose names, full name, email and username agree', () => {
    const g = group();
    const [first, last, full, email, login] = [
      'person.firstName',
      'person.lastName',
      'person.fullName',
      'email',
      'internet.username',
    ].map((m) => member(g, m));
    for (const row of rows) {
      const f = first!('Xy', row) as string;
      const l = last!('Xy', row) as string;
      expect(full!('Xy', row)).toBe(`${f} ${l}`);
      expect(email!('e1@x.org', row)).toBe(`${slug(f)}.${slug(l)}@example.com`);
      const username = login!('Xy', row) as string;
      expect(username.toLowerCase()).toContain(slug(f).slice(0, 1));
    }
    expect(new Set(rows.map((r) => first!('Xy', r))).size).toBeGreaterThan(100);
  });

  it('makes an address that is a real place of the locale: city, region, code and postal code agree', () => {
    for (const locale of ['en', 'de', 'fr_CH', 'it']) {
      const g = group('secret', locale);
      const parts = ['location.city', 'location.state', 'location.zipCode', 'location.country', 'location.countryCode'];
      const [city, state, zip, country, code] = parts.map((m) => member(g, m));
      const abbreviated = member(g, 'location.state', { abbreviated: true });
      const street = member(g, 'location.streetAddress');
      const { places, name, code: countryCode } = addressCountry(locale)!;
      const seen = new Set<string>();
      for (const row of rows) {
        const place = [city!('Xy', row), state!('Xy', row), abbreviated('Xy', row), zip!('Xy', row)];
        expect(places).toContainEqual(place);
        expect([country!('Xy', row), code!('Xy', row)]).toEqual([name, countryCode]);
        expect(String(street('Xy', row)).length).toBeGreaterThan(3);
        seen.add(String(place[0]));
      }
      expect(seen.size).toBeGreaterThan(4);
    }
    expect(addressCountry('en')!.places.every(([, , , zip]) => /^\d{5}$/.test(zip))).toBe(true);
    expect(addressCountry('de')!.places.every(([, , , zip]) => /^\d{5}$/.test(zip))).toBe(true);
    expect(addressCountry('de_AT')!.places.every(([, , , zip]) => /^\d{4}$/.test(zip))).toBe(true);
  });

  it('draws from all of the group’s inputs, deterministically per secret', () => {
    const [a, b, c] = [group('one'), group('one'), group('two')].map((g) => member(g, 'person.fullName'));
    const row: Row = ['F', 'L', 'e@x.org', 'C', '1'];
    expect(b!('Xy', row)).toBe(a!('Xy', row));
    const others = rows.filter((r) => c!('Xy', r) === a!('Xy', r)).length;
    expect(others).toBeLessThan(5);
    // Change only the city: another person (one draw over every input).
    const moved = rows.filter((r) => a!('Xy', [r[0]!, r[1]!, r[2]!, 'Elsewhere', r[4]!]) !== a!('Xy', r)).length;
    expect(moved).toBeGreaterThan(290);
  });

  it('keeps NULL, fits the column without cutting the email’s domain, and varies for unique repairs', () => {
    const g = group();
    expect(member(g, 'person.firstName')(null, rows[0]!)).toBeNull();
    const short = member(g, 'email', { domain: 'corp.example' }, 0, testColumn({ maxLength: 20 }));
    for (const row of rows.slice(0, 50)) expect(String(short('Xy', row))).toMatch(/^.{1,7}@corp\.example$/);
    const base = member(g, 'email')('Xy', rows[0]!) as string;
    const variant = member(g, 'email', {}, 1)('Xy', rows[0]!) as string;
    expect(variant).toMatch(new RegExp(`^${base.split('@')[0]}\\d{1,2}@example\\.com$`));
    const name = member(g, 'person.firstName')('Xy', rows[0]!);
    expect(
      rows
        .slice(0, 40)
        .some((r) => member(g, 'person.firstName', {}, 1)('Xy', r) !== member(g, 'person.firstName')('Xy', r)),
    ).toBe(true);
    expect(name).toBeTypeOf('string');
  });

  it("keeps the input's shape: letter case, blank values; shape: false turns it off", () => {
    const g = group();
    const row = rows[3]!;
    const first = member(g, 'person.firstName')('Xy', row) as string;
    expect(member(g, 'person.firstName')('MARY', row)).toBe(first.toUpperCase());
    expect(member(g, 'person.firstName')('mary', row)).toBe(first.toLowerCase());
    expect(member(g, 'person.firstName')('  ', row)).toBe('  ');
    expect(member(g, 'person.firstName', { shape: false })('MARY', row)).toBe(first);
    const email = member(g, 'email')('Xy', row) as string;
    const [local] = email.split('@');
    expect(member(g, 'email')('MARY.SMITH@sakilacustomer.org', row)).toBe(`${local!.toUpperCase()}@example.com`);
    expect(member(g, 'email')('', row)).toBe('');
    // A real place keeps its spelling under a title-case input; it takes only all-upper or all-lower case.
    const de = group('secret', 'de');
    const cities = rows.map((r) => member(de, 'location.city')('Fort Worth', r));
    expect(cities).toContain('Freiburg im Breisgau');
    expect(member(g, 'location.city', {}, 0)('BERLIN', row)).toBe(
      String(member(g, 'location.city')('Xy', row)).toUpperCase(),
    );
  });

  it('says which columns a group can have, and which locales have addresses', () => {
    expect(groupMemberProblem('person.firstName', 'ja')).toBeUndefined();
    expect(groupMemberProblem('hash', 'en')).toMatch(
      /^hash cannot be part of a group \(a group's columns are person\.firstName,/,
    );
    expect(groupMemberProblem('location.city', 'ja')).toBe(
      `no address data for locale "ja" (address groups know ${ADDRESS_LOCALES.join(', ')})`,
    );
    expect(groupMemberProblem('location.city', 'xx')).toBe('unknown faker locale "xx"');
  });
});
