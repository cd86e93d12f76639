import { kindByName } from '../scan/name-signals.ts';
import type { SourceTable } from './source-values.ts';

/** Sampled source values of masked columns, folded (see `foldText`) → the columns (`table.column`) they came from. */
export type DeepIndex = Map<string, Set<string>>;

/**
 * Where `--deep` draws the line between a value that means something and one that turns up
 * anywhere by chance. A value is left out when it is
 * - shorter than 4 characters (`CA`, `Ann`, `Mr`);
 * - a code of fewer than 7 digits and nothing but separators (a postal code, a year, a five-digit
 *   territory code that equals someone's ZIP): phone numbers have 7 digits or more;
 * - one word without a digit or an `@`: a first name, a surname or a district alone turns up in
 *   any catalogue by chance (a film called TROUT, a city called Batman, an actor called
 *   JENNIFER). A person's name is looked for whole instead: the first and last name of one row
 *   together (`Mary Smith`), as a note or a copied display name holds it; so are a company's
 *   name, a street address, an email, a phone number;
 * - held by at least 5 sampled rows and 1 % of them: a category (a job title), not something
 *   that points at one person; and any value of a column of places many people share (a city,
 *   a region or district, a country, by the column's name): `Buenos Aires` is a district in one
 *   table and a city in the next.
 */
export const DEEP_LINE = { minLength: 4, minDigits: 7, frequentRows: 5, frequentShare: 0.01 };

/** Kinds of columns (by name) whose values many people share. */
const PLACES: ReadonlySet<string> = new Set(['city', 'state', 'country']);

/** Values the index holds at most: beyond, the rest are counted as not checked (bounded memory). */
export const DEEP_MAX_VALUES = 500_000;

/** How many words a value may have and still be looked up inside longer text; longer ones only whole. */
export const DEEP_MAX_WORDS = 6;

/** Where words end in free text; `@ . + - _ '` stay inside, so an email address is one word. */
const SEPARATORS = /[\s,;:"`<>()[\]{}|\\/=!?*]+/;

/** A text's words as `--deep` compares them: a sentence's full stop is not part of the address that ends it. */
export function wordsOf(text: string): string[] {
  return text
    .split(SEPARATORS)
    .map((w) => w.replace(/^[.\-_+']+|[.\-_+']+$/g, ''))
    .filter(Boolean);
}

/** Case and spacing do not hide a copy: `MARY  SMITH` is `mary smith`. */
export const foldText = (text: string): string => wordsOf(text).join(' ').toLowerCase();

/**
 * The keys of a target text value to look up: every run of 1 to `maxWords` consecutive words
 * (a name inside a note), folded, and the whole value. Each key once.
 */
export function tokensOf(text: string, maxWords = DEEP_MAX_WORDS): Map<string, string> {
  const words = wordsOf(text);
  const keys = new Map<string, string>();
  for (let i = 0; i < words.length; i++) {
    for (let n = 1; n <= maxWords && i + n <= words.length; n++) {
      const run = words.slice(i, i + n).join(' ');
      if (run.length >= DEEP_LINE.minLength) keys.set(run.toLowerCase(), run);
    }
  }
  const whole = foldText(text);
  if (whole.length >= DEEP_LINE.minLength && !keys.has(whole)) keys.set(whole, text);
  return keys;
}

/** Why a folded value is left out of the index, or undefined when it is looked for. */
export function skipReason(folded: string): 'short' | 'code' | 'word' | undefined {
  if (folded.length < DEEP_LINE.minLength) return 'short';
  if (/^[\d\s.+\-()/]*$/.test(folded) && folded.replace(/\D/g, '').length < DEEP_LINE.minDigits) return 'code';
  if (!folded.includes(' ') && !/[\d@]/.test(folded)) return 'word';
  return undefined;
}

/** What the index holds and what it left out, for the report: counts only. */
export interface DeepCoverage {
  /** Distinct source values looked for. */
  values: number;
  /** Masked source columns they come from. */
  sourceColumns: number;
  /** Target text columns they were looked for in (set by the caller). */
  targetColumns: number;
  skipped: { short: number; code: number; word: number; frequent: number; place: number; overLimit: number };
}

/**
 * The index `--deep` looks target words up in: the sampled values of every leak-checked column,
 * names included, folded, less those below the line (`DEEP_LINE`), at most `DEEP_MAX_VALUES`.
 */
export function buildDeepIndex(
  sources: Iterable<SourceTable>,
  limit = DEEP_MAX_VALUES,
): { index: DeepIndex; coverage: DeepCoverage; maxWords: number } {
  const index: DeepIndex = new Map();
  const skipped = { short: 0, code: 0, word: 0, frequent: 0, place: 0, overLimit: 0 };
  const columns = new Set<string>();
  let maxWords = 1;
  for (const source of sources) {
    const frequent = Math.max(DEEP_LINE.frequentRows, DEEP_LINE.frequentShare * source.sampledRows);
    const names = source.fullNames ? [[source.fullNames.columns, source.fullNames.values] as const] : [];
    for (const [column, values] of [...source.values, ...names]) {
      const subject = `${source.plan.source.name}.${column}`;
      const rows = source.rowCounts?.get(column);
      if (PLACES.has(kindByName(column) ?? '')) {
        skipped.place += values.size;
        continue;
      }
      for (const value of values) {
        // Binary values are keyed with a NUL prefix and never appear in text.
        if (value.startsWith('\u0000')) continue;
        const folded = foldText(value);
        const reason = skipReason(folded);
        if (reason) skipped[reason]++;
        else if ((rows?.get(value) ?? 1) >= frequent) skipped.frequent++;
        else if (!index.has(folded) && index.size >= limit) skipped.overLimit++;
        else {
          (index.get(folded) ?? index.set(folded, new Set()).get(folded)!).add(subject);
          columns.add(subject);
          maxWords = Math.max(maxWords, Math.min(DEEP_MAX_WORDS, folded.split(' ').length));
        }
      }
    }
  }
  return { index, coverage: { values: index.size, sourceColumns: columns.size, targetColumns: 0, skipped }, maxWords };
}

/** A value's shape, never its letters: `Mary-Ann O'Neil` → `Xxxx-Xxx X'Xxxx`, digits as 9. */
export function redact(text: string): string {
  const shape = text.replace(/\p{L}|\d/gu, (c) => (/\d/.test(c) ? '9' : c === c.toLowerCase() ? 'x' : 'X'));
  return shape.length > 40 ? `${shape.slice(0, 40)}…` : shape;
}
