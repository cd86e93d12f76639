import type { Faker } from '@faker-js/faker';
import { addressCountry } from './address-data.ts';
import type { DigestRandom } from './prng.ts';

/** One invented address: a street of the locale at a real place of its country. */
export interface Address {
  street: string;
  city: string;
  region: string;
  regionCode: string;
  postalCode: string;
  country: string;
  countryCode: string;
}

/**
 * Draws an address with `random` (just seeded by the caller): a real (city, region, postal code)
 * of the locale's country from address-data.ts, so the four agree, and a street from faker's
 * data for the locale (street names are invented, which is what a masked address needs).
 * Throws for a locale without address data; the engine checks that before any row moves.
 */
export function drawAddress(faker: Faker, random: DigestRandom, locale: string): Address {
  const country = addressCountry(locale);
  if (!country) throw new Error(`no address data for locale "${locale}"`);
  const [city, region, regionCode, postalCode] = country.places[random.below(country.places.length)]!;
  return {
    street: faker.location.streetAddress(),
    city,
    region,
    regionCode,
    postalCode,
    country: country.name,
    countryCode: country.code,
  };
}
