import type { Faker } from '@faker-js/faker';
import { z } from 'zod';
import type { ColumnInfo } from '../dialects/schema.ts';
import { type TransformerDefinition, defineTransformer } from './define-transformer.ts';
import { fitInvented } from './fit.ts';
import { fakerLocaleNames, localeFaker, newFaker } from './faker-locales.ts';
import { DigestRandom } from './prng.ts';
import { applyCase, hasDigit, isBlank, keepLayout, type LetterCase, letterCase, shapeParam } from './shape.ts';

/**
 * Any faker method as a transformer (`person.firstName`, `location.city`). Faker draws from our
 * own randomizer, reseeded from each value's keyed digest: reseeding faker's Mersenne Twister
 * costs more than making the value, reseeding this PRNG almost nothing. An unknown locale is a
 * create-time error, not a silent fallback: a typo in `locale:` would change every fake unseen.
 */

/** Modules whose methods are not value generators (`helpers` takes arrays and patterns). */
const SKIPPED_MODULES = new Set(['fakerCore', 'helpers']);

/**
 * Methods whose output is a layout of digits (and letters): with `shape` on, and no options of
 * faker's own, they keep the input's layout with new characters instead of faker's US format
 * (`030-0074321` stays `NNN-NNNNNNN`, not `718-680-0940 x33926`; `WA1 1DP` stays `AA9 9AA`).
 */
const LAYOUT_METHODS = new Set(['phone.number', 'location.zipCode']);

/** Fixed "now" for date methods (`date.past`, `date.birthdate`), which would otherwise drift daily. */
const REFERENCE_DATE = new Date('2025-01-01T00:00:00Z');

type FakerModule = Record<string, unknown>;

let methodNames: string[] | undefined;
let methodSet: Set<string> | undefined;

/** Every `module.method` faker offers, read from the faker object so a faker upgrade needs no edit. */
export function fakerMethodNames(): string[] {
  if (methodNames) return methodNames;
  const faker = localeFaker('en') as unknown as Record<string, unknown>;
  methodNames = [];
  for (const moduleName of Object.keys(faker).filter((m) => !SKIPPED_MODULES.has(m))) {
    const module = faker[moduleName];
    if (!module || typeof module !== 'object') continue;
    const methods = new Set<string>();
    // Methods live on the module classes' prototypes, not on the instances.
    for (let p: object | null = module; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
      for (const name of Object.getOwnPropertyNames(p)) {
        if (name !== 'constructor' && typeof (module as FakerModule)[name] === 'function') methods.add(name);
      }
    }
    for (const method of methods) methodNames.push(`${moduleName}.${method}`);
  }
  methodSet = new Set(methodNames);
  return methodNames;
}

/** True for a faker `module.method` name spelt exactly (`internet.userName` is gone since faker 10). */
export function isFakerMethod(name: string): boolean {
  fakerMethodNames();
  return methodSet!.has(name);
}

const fakers = new Map<string, { faker: Faker; random: DigestRandom }>();

/** The name faker files a locale under: `de_AT` for `de-AT`, `en` when none is set. */
export function fakerLocaleKey(locale: string): string {
  return (locale || 'en').replaceAll('-', '_');
}

/** One faker per locale (`de_AT`, or `de-AT`), drawing from a DigestRandom the caller reseeds before each value. */
export function fakerFor(locale: string): { faker: Faker; random: DigestRandom } {
  const key = fakerLocaleKey(locale);
  let entry = fakers.get(key);
  if (entry) return entry;
  if (!localeFaker(key)) throw new Error(`unknown faker locale "${locale}" (known: ${fakerLocaleNames().join(', ')})`);
  const random = new DigestRandom();
  const faker = newFaker(key, { randomizer: { next: () => random.next(), seed: () => {} } });
  faker.setDefaultRefDate(REFERENCE_DATE);
  entry = { faker, random };
  fakers.set(key, entry);
  return entry;
}

/** A faker result as text: dates as ISO (only the day for date columns), arrays and objects as JSON. */
export function resultText(result: unknown, column: ColumnInfo): string {
  if (typeof result === 'string') return result;
  if (result instanceof Date) {
    return column.category === 'date' ? result.toISOString().slice(0, 10) : result.toISOString();
  }
  if (typeof result === 'object' && result !== null) {
    return JSON.stringify(result, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
  }
  return String(result);
}

const definitions = new Map<string, TransformerDefinition>();

/** The transformer for a faker method name, or undefined when faker has no such method. */
export function fakerTransformer(name: string): TransformerDefinition | undefined {
  if (!isFakerMethod(name)) return undefined;
  let definition = definitions.get(name);
  if (definition) return definition;
  const [moduleName, method] = name.split('.') as [string, string];
  definition = defineTransformer({
    name,
    description:
      `faker's ${name}(), deterministic per value, keeping the input's shape (case, blanks` +
      `${LAYOUT_METHODS.has(name) ? ', layout' : ''}), fitted to the column without cutting words.`,
    params: z
      .looseObject({ shape: shapeParam() })
      .default({ shape: true })
      .describe(`Options passed to faker's ${name}() as they are, and \`shape\`.`),
    create({ shape, ...options }, { column, locale, keyed }) {
      const { faker, random } = fakerFor(locale);
      const module = (faker as unknown as Record<string, FakerModule>)[moduleName]!;
      const fn = module[method] as (options?: unknown) => unknown;
      const call = Object.keys(options).length ? () => fn.call(module, options) : () => fn.call(module);
      // One call now, so options faker rejects fail before the first row moves.
      try {
        random.reseed(Buffer.alloc(32));
        call();
      } catch (error) {
        throw new Error(`faker's ${name}() rejects these options: ${(error as Error).message}`);
      }
      const max = column.maxLength;
      const draw = () => resultText(call(), column);
      // Shape is about text: numbers, dates and JSON written by faker have none to keep.
      if (!shape || column.category !== 'text') {
        return (value) => {
          if (value === null) return null;
          random.reseed(keyed.digest(value));
          return fitInvented(draw, max);
        };
      }
      const layout = LAYOUT_METHODS.has(name) && !Object.keys(options).length;
      // The case of the value being masked, read by one draw function made once, not one per value.
      let inputCase: LetterCase | undefined;
      const drawCased = () => applyCase(draw(), inputCase);
      return (value) => {
        if (value === null) return null;
        random.reseed(keyed.digest(value));
        if (typeof value !== 'string') return fitInvented(draw, max);
        if (isBlank(value)) return value;
        // An input without digits (`n/a`) has no layout worth keeping: it gets faker's value as it is.
        if (layout) return hasDigit(value) ? keepLayout(value, random) : fitInvented(draw, max);
        inputCase = letterCase(value);
        return fitInvented(drawCased, max);
      };
    },
  });
  definitions.set(name, definition);
  return definition;
}
