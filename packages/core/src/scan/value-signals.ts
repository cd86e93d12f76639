import type { Value } from '../dialects/dialect.ts';
import type { TypeCategory } from '../dialects/schema.ts';
import type { PersonalKind } from './name-signals.ts';
import {
  isCardNumber,
  isEmail,
  isHexDigest,
  isIban,
  isIpAddress,
  isPhoneNumber,
  nameShape,
  yearOf,
} from './value-checks.ts';

/** What sampled values say about a column. Holds counts only, never a value. */
export interface ValueSignal {
  /** A personal kind, or `freeText` (long prose) or `digest` (hashes, tokens). */
  kind: PersonalKind | 'freeText' | 'digest';
  /** How many of the sampled non-NULL values back it. */
  matches: number;
  sampled: number;
  /** Only for dates of birth: the years' span, said instead of a count. */
  detail?: string;
}

/** At least this share of the non-NULL sampled values must agree. */
const MIN_SHARE = 0.5;
/** At least this many non-NULL values, or one value could decide a column. */
const MIN_VALUES = 3;

const CHECKS: [ValueSignal['kind'], (text: string) => boolean][] = [
  ['email', isEmail],
  ['card', isCardNumber],
  ['iban', isIban],
  ['ip', isIpAddress],
  ['phone', isPhoneNumber],
  ['digest', isHexDigest],
];

/**
 * The strongest signal in a column's sampled values, or undefined when they look ordinary. Only
 * text columns are tested for emails, names and numbers (PostgreSQL hands every value over as
 * text, and a date `2022-02-14` is not a phone number); dates of birth also in date columns.
 */
export function valueSignal(values: readonly Value[], category: TypeCategory): ValueSignal | undefined {
  if (category === 'date' || category === 'timestamp' || category === 'text') {
    const dates = values
      .filter((v) => v !== null && typeof v !== 'boolean' && !Buffer.isBuffer(v))
      .map((v) => yearOf(String(v)));
    const birth = birthSignal(dates);
    if (birth) return birth;
  }
  if (category !== 'text') return undefined;
  const texts = values.filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  const sampled = texts.length;
  const enough = (matches: number) => sampled >= MIN_VALUES && matches >= MIN_SHARE * sampled;
  for (const [kind, check] of CHECKS) {
    const matches = texts.filter(check).length;
    if (enough(matches)) return { kind, matches, sampled };
  }
  const shapes = texts.map(nameShape);
  const count = (shape: string) => shapes.filter((s) => s === shape).length;
  const [full, first, last] = [count('full'), count('first'), count('last')];
  if (enough(full)) return { kind: 'fullName', matches: full, sampled };
  if (enough(first)) return { kind: 'firstName', matches: first, sampled };
  if (enough(last)) return { kind: 'lastName', matches: last, sampled };
  if (enough(full + first + last)) return { kind: 'name', matches: full + first + last, sampled };
  const long = texts.filter((t) => t.length >= 40 && t.split(/\s+/).length >= 5).length;
  if (enough(long)) return { kind: 'freeText', matches: long, sampled };
  return undefined;
}

/**
 * Dates of birth: every date between 110 and 14 years ago, spread over at least 15 years.
 * Events (orders, rentals, hires) cluster within a few years; births of adults spread out.
 */
function birthSignal(years: readonly (number | undefined)[]): ValueSignal | undefined {
  const known = years.filter((y): y is number => y !== undefined);
  if (known.length < MIN_VALUES || known.length < MIN_SHARE * years.length) return undefined;
  const now = new Date().getUTCFullYear();
  const min = Math.min(...known);
  const max = Math.max(...known);
  if (min < now - 110 || max > now - 14 || max - min < 15) return undefined;
  return { kind: 'birthDate', matches: known.length, sampled: years.length, detail: `years spread over ${max - min}` };
}
