import type { Faker } from '@faker-js/faker';
import { slug } from './text-filters.ts';

/** One invented person: the parts a person group's columns take. */
export interface Person {
  firstName: string;
  lastName: string;
  /** `first last`. */
  fullName: string;
  /** The local part of the person's email: `first.last`, ASCII. */
  emailLocal: string;
  /** faker's username for these names (`Demond_Hansen`, `Martine.Kertzmann30`). */
  username: string;
}

/**
 * Draws a person from `faker`, whose randomizer the caller has just seeded: a sex, then a first
 * and a last name of that sex in the locale, then what derives from the names. The email's local
 * part is the names folded to ASCII (`José Núñez` → `jose.nunez`); where they have no Latin
 * letters (Cyrillic, Kana), faker's transliterated username stands in.
 */
export function drawPerson(faker: Faker): Person {
  const sex = faker.person.sexType();
  const firstName = faker.person.firstName(sex);
  const lastName = faker.person.lastName(sex);
  const username = faker.internet.username({ firstName, lastName });
  const first = slug(firstName);
  const last = slug(lastName);
  const emailLocal = first && last ? `${first}.${last}` : username.toLowerCase().replace(/[^a-z0-9._-]/g, '') || 'user';
  return { firstName, lastName, fullName: `${firstName} ${lastName}`, emailLocal, username };
}
