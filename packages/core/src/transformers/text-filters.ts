import { didYouMean } from '../did-you-mean.ts';

/**
 * The small filters a template placeholder takes after `|` (`{{masked.first_name | lower}}`): what
 * users reach for when they build an email or a login from names. Each is a plain string function,
 * chained left to right.
 */
export type TextFilter = (text: string) => string;

/** Letters a decomposition (NFKD) does not split into a base letter and a mark. */
const FOLDED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** ASCII letters and digits only, lower case, diacritics folded: `José María` → `josemaria`. */
export function slug(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFKD').toLowerCase()) {
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) out += ch;
    else if (FOLDED[ch]) out += FOLDED[ch];
  }
  return out;
}

/** Upper-cases the first character (code point) and lower-cases the rest. */
function capitalize(text: string): string {
  const first = text.codePointAt(0);
  if (first === undefined) return text;
  const head = String.fromCodePoint(first);
  return head.toUpperCase() + text.slice(head.length).toLowerCase();
}

export const TEXT_FILTERS: Readonly<Record<string, TextFilter>> = {
  lower: (text) => text.toLowerCase(),
  upper: (text) => text.toUpperCase(),
  capitalize,
  /** Every word capitalised, at spaces, hyphens and apostrophes: `anne-marie o'neil` → `Anne-Marie O'Neil`. */
  title: (text) =>
    text.toLowerCase().replace(/(^|[\s'’-])(\p{L})/gu, (_, gap: string, ch: string) => gap + ch.toUpperCase()),
  slug,
  /** The first letter or digit, as it is: `María` → `M`. */
  initial: (text) => /[\p{L}\p{N}]/u.exec(text)?.[0] ?? '',
};

/**
 * The filters of one placeholder, from the text after its name (`| lower | slug`), as one
 * function, or undefined when there are none. An unknown filter throws, naming the known ones.
 */
export function parseFilters(spec: string[], placeholder: string): TextFilter | undefined {
  const chain = spec.map((name) => {
    const filter = TEXT_FILTERS[name];
    if (!filter) {
      const known = Object.keys(TEXT_FILTERS);
      throw new Error(
        `unknown filter "${name}" in {{${placeholder}}}${didYouMean(name, known)} (filters: ${known.join(', ')})`,
      );
    }
    return filter;
  });
  if (!chain.length) return undefined;
  if (chain.length === 1) return chain[0];
  return (text) => chain.reduce((out, filter) => filter(out), text);
}
