import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { fakerFor } from './faker-method.ts';
import { fitsColumn, textOf } from './fit.ts';
import { shapeParam } from './shape.ts';

/** Used when neither the rule nor the input names a country faker knows. */
const DEFAULT_COUNTRY = 'DE';

/** Country code → faker has an IBAN format for it; learnt by asking faker once per code. */
const supported = new Map<string, boolean>();

/** faker's IBAN generator (BBAN formats of ~70 countries, mod-97 check digits), drawing from `random`. */
function ibanFaker(): {
  make(country: string, formatted: boolean, digest: Buffer): string;
  supports(country: string): boolean;
} {
  // IBAN formats do not depend on the language, so one English faker serves every locale.
  const { faker, random } = fakerFor('en');
  const supports = (country: string): boolean => {
    let known = supported.get(country);
    if (known === undefined) {
      try {
        random.reseed(Buffer.alloc(32));
        faker.finance.iban({ countryCode: country });
        known = true;
      } catch {
        known = false;
      }
      supported.set(country, known);
    }
    return known;
  };
  return {
    supports,
    make(country, formatted, digest) {
      random.reseed(digest);
      return faker.finance.iban({ countryCode: country, formatted });
    },
  };
}

/** True when an IBAN (spaces ignored) passes the ISO 13616 mod-97 check. */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/ /g, '');
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(compact)) return false;
  const digits = (compact.slice(4) + compact.slice(0, 4)).replace(/[A-Z]/g, (ch) => String(ch.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  return rest === 1;
}

export const iban = defineTransformer({
  name: 'iban',
  description: "A fake IBAN that passes the mod-97 check, of the input's country (its first two letters) or `country`.",
  params: z.strictObject({
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be an ISO 3166 country code in capitals, e.g. DE')
      .optional()
      .describe(
        "Country of every fake IBAN. Default: the input's first two letters when they name an IBAN country, " +
          `else ${DEFAULT_COUNTRY}.`,
      ),
    formatted: z
      .boolean()
      .optional()
      .describe('Group by four with spaces (`DE89 3704 …`). Default: as the input is written.'),
    shape: shapeParam().describe('Keep empty and blank inputs as they are (default); `false` gives them an IBAN too.'),
  }),
  columnTypes: ['text'],
  create({ country, formatted, shape }, { column, keyed }) {
    const generator = ibanFaker();
    if (country !== undefined) {
      if (!generator.supports(country)) throw new Error(`no IBAN format is known for country ${country}`);
      const sample = generator.make(country, formatted ?? false, Buffer.alloc(32));
      if (!fitsColumn(sample, column))
        throw new Error(
          `a ${country} IBAN has ${sample.length} characters, ` +
            `more than the column's maximum length ${column.maxLength}`,
        );
    }
    return (value) => {
      if (value === null) return null;
      const text = textOf(value).trim();
      if (shape && text === '') return textOf(value);
      const given = text.slice(0, 2).toUpperCase();
      const cc = country ?? (/^[A-Z]{2}$/.test(given) && generator.supports(given) ? given : DEFAULT_COUNTRY);
      const digest = keyed.digest(value);
      const out = generator.make(cc, formatted ?? text.includes(' '), digest);
      if (fitsColumn(out, column)) return out;
      // Grouping spaces are the only thing we may drop; an IBAN cut short would fail its check.
      const compact = out.replace(/ /g, '');
      if (fitsColumn(compact, column)) return compact;
      throw new Error(
        `iban: a ${cc} IBAN has ${compact.length} characters, ` +
          `more than the column's maximum length ${column.maxLength}`,
      );
    };
  },
});
