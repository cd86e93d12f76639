import { isIP } from 'node:net';
import { localeFaker } from '../transformers/faker-locales.ts';

/** Tests on single sampled values. Each looks at one value and answers yes or no; none keeps it. */

const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[a-z]{2,}$/i;

export const isEmail = (text: string): boolean => EMAIL.test(text);

export const isIpAddress = (text: string): boolean => isIP(text) !== 0;

/** 13 to 19 digits (spaces or dashes between groups) that pass the Luhn check. */
export function isCardNumber(text: string): boolean {
  if (!/^\d[\d -]{11,22}\d$/.test(text)) return false;
  const digits = text.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** An IBAN: country, check digits and account, whose mod-97 remainder (ISO 13616) is 1. */
export function isIban(text: string): boolean {
  const iban = text.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const n = ch >= 'A' ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    remainder = (n > 9 ? remainder * 100 + n : remainder * 10 + n) % 97;
  }
  return remainder === 1;
}

/** 7 to 15 digits, with nothing else than phone punctuation: `+55 (12) 3923-5555`, `14033335568`. */
export function isPhoneNumber(text: string): boolean {
  if (!/^\+?[\d\s().\-/]{7,25}$/.test(text)) return false;
  const digits = text.replace(/\D/g, '').length;
  return digits >= 7 && digits <= 15;
}

/** The year of a `YYYY-MM-DD…` value, if it starts like one. */
export function yearOf(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  return m && Number(m[2]) >= 1 && Number(m[2]) <= 12 ? Number(m[1]) : undefined;
}

/** A digest or token: 32, 40, 56, 64 or 128 hex digits (md5, sha1, sha2…). */
export const isHexDigest = (text: string): boolean =>
  /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{56}|[0-9a-f]{64}|[0-9a-f]{128})$/i.test(text);

let names: { first: Set<string>; last: Set<string> } | undefined;

/** Folds a word for name lookups: lower case, no accents. */
export const foldWord = (word: string): string =>
  word
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

/** Locales whose name lists are consulted: people in a database come from everywhere. */
const NAME_LOCALES = [
  'en',
  'de',
  'fr',
  'es',
  'it',
  'pt_BR',
  'pt_PT',
  'nl',
  'sv',
  'da',
  'nb_NO',
  'fi',
  'pl',
  'cs_CZ',
  'hu',
];

/** faker's first- and last-name lists of several locales, folded. */
export function personNames(): { first: Set<string>; last: Set<string> } {
  if (names) return names;
  const first = new Set<string>();
  const last = new Set<string>();
  for (const locale of NAME_LOCALES) {
    const person = localeFaker(locale)?.rawDefinitions.person as
      | Record<string, Record<string, string[]> | undefined>
      | undefined;
    for (const list of Object.values(person?.first_name ?? {})) for (const n of list) first.add(foldWord(n));
    for (const list of Object.values(person?.last_name ?? {})) for (const n of list) last.add(foldWord(n));
  }
  names = { first, last };
  return names;
}

/** Which part of a person's name a value looks like, if any. */
export function nameShape(text: string): 'first' | 'last' | 'full' | undefined {
  const words = text.trim().split(/\s+/);
  if (words.length > 4 || !words.every((w) => /^\p{L}[\p{L}'.-]*$/u.test(w))) return undefined;
  const { first, last } = personNames();
  const head = foldWord(words[0]!);
  if (words.length === 1) return first.has(head) ? 'first' : last.has(head) ? 'last' : undefined;
  return first.has(head) && last.has(foldWord(words.at(-1)!)) ? 'full' : undefined;
}
