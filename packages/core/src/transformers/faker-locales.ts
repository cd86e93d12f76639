import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Faker } from '@faker-js/faker';

/**
 * Faker's locales, each loaded the first time something asks for it. Importing
 * `@faker-js/faker` itself loads all 77 at every start, at several times the time and memory of
 * the one a run uses. `require` of faker's ES modules is synchronous on Node ≥ 20.19, so the
 * transformers that use a locale stay synchronous.
 */
const require = createRequire(import.meta.url);
const localeFolder = dirname(require.resolve('@faker-js/faker/locale/en'));

let names: string[] | undefined;
const loaded = new Map<string, Faker>();

/** Every locale faker ships (`af_ZA` … `zu_ZA`), as `@faker-js/faker/locale/*` offers them. */
export function fakerLocaleNames(): string[] {
  names ??= readdirSync(localeFolder)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -'.js'.length))
    .sort();
  return names;
}

/**
 * Faker's own instance for a locale, with its fallbacks (`de_AT` → `de` → `en` → `base`); undefined
 * when faker has no such locale.
 */
export function localeFaker(name: string): Faker | undefined {
  if (!fakerLocaleNames().includes(name)) return undefined;
  let faker = loaded.get(name);
  if (!faker) {
    faker = (require(`@faker-js/faker/locale/${name}`) as { faker: Faker }).faker;
    loaded.set(name, faker);
  }
  return faker;
}

/**
 * Loads a locale with `import()`, ahead of its first use. Under tsx (how masque runs), `require`
 * of faker's ES modules goes through tsx's CommonJS hook, which recompiles them with `keepNames`:
 * every closure faker makes on a call then costs a `defineProperty`, which slows every value
 * faker makes. `import()` runs faker's own code.
 */
export async function preloadLocale(name: string): Promise<void> {
  if (loaded.has(name) || !fakerLocaleNames().includes(name)) return;
  loaded.set(name, ((await import(`@faker-js/faker/locale/${name}`)) as { faker: Faker }).faker);
}

/** A new faker with a locale's definitions and the given randomizer (faker's class, without importing every locale). */
export function newFaker(locale: string, options: Omit<ConstructorParameters<typeof Faker>[0], 'locale'>): Faker {
  const template = localeFaker(locale);
  if (!template) throw new Error(`faker has no locale "${locale}"`);
  const FakerClass = template.constructor as typeof Faker;
  const faker = new FakerClass({ ...options, locale: template.rawDefinitions });
  faker.helpers.mustache = mustache;
  return faker;
}

const placeholders = new Map<string, string>();

type Replacement = string | ((substring: string, ...args: unknown[]) => string);

/**
 * faker's `helpers.mustache` (which `person.fullName` calls for every name), without its five
 * `RegExp`s per name: the same substitution, key by key in the data's order, each occurrence
 * left to right in the text as it stands after the keys before it (what a global `replace` does,
 * a replacement included literally and not searched again for its own key). So faker's random
 * draws come in the same order and every output is unchanged (pinned-outputs.test.ts).
 */
function mustache(text: string | undefined, data: Record<string, Replacement>): string {
  if (text == null) return '';
  for (const key in data) {
    let placeholder = placeholders.get(key);
    if (placeholder === undefined) {
      placeholder = `{{${key}}}`;
      placeholders.set(key, placeholder);
    }
    const value = data[key]!;
    let at = text.indexOf(placeholder);
    while (at >= 0) {
      const replacement: string = typeof value === 'string' ? value : String(value(placeholder, at, text));
      text = text.slice(0, at) + replacement + text.slice(at + placeholder.length);
      at = text.indexOf(placeholder, at + replacement.length);
    }
  }
  return text;
}
