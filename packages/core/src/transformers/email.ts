import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { localeFaker } from './faker-locales.ts';
import { pick } from './keyed-hash.ts';
import { textOf } from './fit.ts';
import { applyCase, isBlank, letterCase, shapeParam, startsUpper } from './shape.ts';

/** A DNS name with at least two labels. Spelt without the `i` flag, which JSON Schema cannot carry. */
const HOSTNAME =
  /^(?=.{4,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z][A-Za-z0-9-]{0,61}[A-Za-z0-9]$/;

/** Reserved for documentation (RFC 2606): fake addresses can never reach a real mailbox. */
const DEFAULT_DOMAIN = 'example.com';

let nameLists: { first: string[]; last: string[] } | undefined;

/** faker's English name lists, folded to ASCII letters so every local part is a valid dot-atom. */
function names(): { first: string[]; last: string[] } {
  if (nameLists) return nameLists;
  const person = localeFaker('en')!.rawDefinitions.person;
  const fold = (list: readonly string[] | undefined): string[] => [
    ...new Set(
      (list ?? [])
        .map((s) =>
          s
            .normalize('NFD')
            .toLowerCase()
            .replace(/[^a-z]/g, ''),
        )
        .filter((s) => s.length > 1),
    ),
  ];
  nameLists = { first: fold(person?.first_name?.generic), last: fold(person?.last_name?.generic) };
  if (!nameLists.first.length || !nameLists.last.length) throw new Error('faker has no English name lists');
  return nameLists;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * The local part: the most readable form that fits the column (`first.last.NNNN`, `f.last.NNNN`,
 * `flastNNNN`, then a base-36 token), so an address changes form only for columns too short for
 * the first, and stays deterministic. Shorter forms are built only when needed.
 */
function localPart(digest: Buffer, budget: number): string {
  const { first, last } = names();
  const f = first[pick(digest, first.length, 0)]!;
  const l = last[pick(digest, last.length, 6)]!;
  const n = String(pick(digest, 10000, 12)).padStart(4, '0');
  const readable = `${f}.${l}.${n}`;
  if (readable.length <= budget) return readable;
  if (readable.length - f.length + 1 <= budget) return `${f[0]}.${l}.${n}`;
  if (readable.length - f.length - 1 <= budget) return `${f[0]}${l}${n}`;
  let token = '';
  for (let i = 0; i < Math.min(budget, 16); i++) token += BASE36[digest[16 + i]! % 36];
  return token;
}

/** Where an input's local part ends: at its last `@`, or the end of a text without one. */
function localEnd(address: string): number {
  const at = address.lastIndexOf('@');
  return at < 0 ? address.length : at;
}

/** The domain of an input address, when it has a valid one. */
function domainOf(address: string): string | undefined {
  const domain = address
    .slice(address.lastIndexOf('@') + 1)
    .trim()
    .toLowerCase();
  return address.includes('@') && HOSTNAME.test(domain) ? domain : undefined;
}

export const email = defineTransformer({
  name: 'email',
  description: 'A fake, valid, deterministic address such as `first.last.1234@example.com`.',
  params: z.strictObject({
    keepDomain: z
      .boolean()
      .default(false)
      .describe('Keep the domain of the input address (the local part is always replaced).'),
    domain: z
      .string()
      .regex(HOSTNAME, 'must be a domain name such as example.org')
      .optional()
      .describe(
        `Domain of the fake addresses (default ${DEFAULT_DOMAIN}); ` +
          'with keepDomain, used for inputs without a valid domain.',
      ),
    shape: shapeParam().describe(
      "Keep the input's shape (default): empty and blank inputs as they are, the local part in the case of " +
        "the input's (`MARY.SMITH@…` → `REX.BOYLE.0412@…`). `false` turns it off.",
    ),
  }),
  columnTypes: ['text'],
  create({ keepDomain, domain: givenDomain, shape }, { column, keyed }) {
    const domain = givenDomain?.toLowerCase() ?? DEFAULT_DOMAIN;
    const max = column.maxLength;
    // `x@domain` is the shortest address we can make; a column shorter than that can hold none.
    if (max !== undefined && max < domain.length + 2) {
      throw new Error(`column length ${max} is too short for an address at ${domain} (needs ${domain.length + 2})`);
    }
    return (value) => {
      if (value === null) return null;
      const text = textOf(value);
      if (shape && isBlank(text)) return text;
      const digest = keyed.digest(value);
      let host = domain;
      if (keepDomain) {
        const kept = domainOf(text);
        if (kept && (max === undefined || kept.length + 2 <= max)) host = kept;
      }
      const budget = max === undefined ? 64 : Math.min(64, max - host.length - 1);
      const local = localPart(digest, budget);
      // Local parts are lower-case ASCII: only an input starting upper case changes them (their
      // length stays), and most inputs are answered at their first letter.
      if (!shape || !startsUpper(text)) return `${local}@${host}`;
      return `${applyCase(local, letterCase(text, localEnd(text)))}@${host}`;
    };
  },
});
