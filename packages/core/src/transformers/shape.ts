import { z } from 'zod';
import type { Value } from '../dialects/dialect.ts';
import type { DigestRandom } from './prng.ts';

/**
 * The shape of an input that invented text keeps, so staging looks like production: letter case
 * (Sakila's `MARY` becomes an upper-case name), empty and blank strings (an empty phone stays
 * empty, it does not become a number), and for phones and postal codes the layout of digits,
 * letters and separators (`030-0074321` stays `NNN-NNNNNNN`, `WA1 1DP` stays `AA9 9AA`).
 * NULL is the callers' business: it stays NULL before any of this runs.
 */

/** The `shape` parameter of transformers that invent text: on by default, `shape: false` turns it off. */
export const shapeParam = () =>
  z
    .boolean()
    .default(true)
    .describe(
      "Keep the input's shape: letter case (UPPER, lower, Capitalised), empty and blank strings as they are, " +
        'and for phones and postal codes the layout of digits, letters and separators. `false` turns it off.',
    );

/**
 * `invented` in the shape of the value it replaces: a blank input comes back as it is, any other
 * string gives its letter case to the invented text (`MARY` → `REX`). For values invented outside
 * a transformer's own draw (a group's person or address); fit to the column afterwards, as the
 * case can change the length.
 */
export function inShapeOf(input: Value, invented: string): string {
  if (typeof input !== 'string') return invented;
  if (isBlank(input)) return input;
  const inputCase = letterCase(input);
  return inputCase ? applyCase(invented, inputCase) : invented;
}

/**
 * The letter case of a text: every cased letter upper, every one lower, each word's first one
 * upper (title: `Mary Smith`), or only the first one (sentence: `Mary`, `Hello world`).
 */
export type LetterCase = 'upper' | 'lower' | 'title' | 'sentence';

/** True for `''` and whitespace only: such a value has nothing to mask and is kept as it is. */
export function isBlank(text: string): boolean {
  // Most values start with a visible ASCII character: answered without a regular expression.
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return text.trim() === '';
}

/**
 * 1 for an upper-case letter, 2 lower case, 3 a digit or a letter without case (漢): the other
 * characters of words, which runs of these make (`13th`, `194A`); 0 for what stands between words.
 */
function letterKind(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 97 && code <= 122) return 2;
  if (code >= 65 && code <= 90) return 1;
  if (code >= 48 && code <= 57) return 3;
  if (code < 128) return 0;
  const ch = text[i]!;
  const upper = ch.toUpperCase();
  const lower = ch.toLowerCase();
  if (upper !== lower) return ch === upper ? 1 : ch === lower ? 2 : 3;
  return /[\p{L}\p{N}]/u.test(ch) ? 3 : 0;
}

/**
 * The case an input is written in, or undefined when it has none to keep: `MARY`, `ÉLODIE 2`
 * are upper (two or more upper-case letters, no lower); `mary`, `anna.user1@corp` lower;
 * `Mary Smith`, `O'Brien`, `Mary.Smith` title (two or more words, each starting upper, no
 * upper-case letter inside a word); `Mary`, `Hello world`, a lone `A` sentence (the first letter
 * upper, no other upper-case letter inside a word). Mixed case (`McDonald`, `iPhone`, `194A Main`)
 * and text without cased letters (`漢字`, `12-345`) have none. Words are runs of letters and
 * digits (`13th`); those that start with a digit count for neither title nor sentence. Only the
 * first `end` UTF-16 units are read (an address's local part).
 */
export function letterCase(text: string, end = text.length): LetterCase | undefined {
  const part = end < text.length ? text.slice(0, end) : text;
  // The engine's own case mapping answers the common cases several times faster than a loop.
  const lower = part.toLowerCase();
  if (lower === part) return hasLowerLetter(part) ? 'lower' : undefined;
  if (part.toUpperCase() === part) return differences(part, lower) > 1 ? 'upper' : 'sentence';
  return mixedCase(part);
}

/**
 * True when the first cased letter of `text` is upper case: only then can its case be upper,
 * title or sentence. Answers most inputs at their first character, without reading the rest.
 */
export function startsUpper(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const kind = letterKind(text, i);
    if (kind === 1 || kind === 2) return kind === 1;
  }
  return false;
}

/** True when a text without upper-case letters has a lower-case one; most answer at their first character. */
function hasLowerLetter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 97 && code <= 122) return true;
    if (code >= 128) return text.toUpperCase() !== text;
  }
  return false;
}

/** How many characters of `a` and `b` differ at the same position, counted up to two. */
function differences(a: string, b: string): number {
  let n = 0;
  for (let i = 0; i < a.length && n < 2; i++) if (a.charCodeAt(i) !== b.charCodeAt(i)) n++;
  return n;
}

/** Title, sentence or no case, for a text with both upper- and lower-case letters. */
function mixedCase(text: string): LetterCase | undefined {
  // Words that start with a letter with case (not `2170`, `漢字`), and those of them starting upper.
  let words = 0;
  let capitalWords = 0;
  let first = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const kind = letterKind(text, i);
    if (kind === 0) {
      inWord = false;
      continue;
    }
    if (!inWord) {
      if (first === 0 && kind !== 3) first = kind;
      if (kind !== 3) words++;
      if (kind === 1) capitalWords++;
    } else if (kind === 1) return undefined; // upper case inside a word: McDonald, iPhone, 194A
    inWord = true;
  }
  // The first word must start upper: `eBay`, `van Dijk` say nothing to copy (`2nd Floor` does).
  if (first !== 1) return undefined;
  return words > 1 && capitalWords === words ? 'title' : 'sentence';
}

/**
 * `text` in the given case. Title and sentence case only raise first letters (of every word, or
 * of the text) and leave the others as written: faker's names and places are capitalised already
 * (`McDonald`, `Fort Worth` stay), and its prose keeps its sentences. Upper-casing can lengthen a
 * text (`ß` → `SS`): callers apply the case before fitting to the column.
 */
export function applyCase(text: string, letterCase: LetterCase | undefined): string {
  if (letterCase === 'upper') return text.toUpperCase();
  if (letterCase === 'lower') return text.toLowerCase();
  if (letterCase === 'title') return raiseFirstLetters(text, true);
  if (letterCase === 'sentence') return raiseFirstLetters(text, false);
  return text;
}

/** Raises the first letter of every word (`everyWord`) or of the text; copies only when one is lower. */
function raiseFirstLetters(text: string, everyWord: boolean): string {
  let out = '';
  let copied = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const kind = letterKind(text, i);
    // Only words that start with a letter with case: `13th` stays, `38557 main` → `38557 Main`.
    if (!inWord && (kind === 1 || kind === 2)) {
      if (kind === 2) {
        out += text.slice(copied, i) + text[i]!.toUpperCase();
        copied = i + 1;
      }
      if (!everyWord) break;
    }
    inWord = kind !== 0;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** True when the text holds an ASCII digit: only then is it worth keeping as a layout. */
export function hasDigit(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) return true;
  }
  return false;
}

/**
 * The input's layout with new characters: each ASCII digit a new digit, each ASCII letter a new
 * letter of the same case, everything else (spaces, `+`, `-`, brackets, dots) kept:
 * `+1 (415) 555-0100` → `+7 (203) 918-4471`, `WA1 1DP` → `QZ6 0JA`. The first digit stays zero or
 * non-zero, so a trunk prefix `0…` stays one. Same length as the input, which fit the column.
 */
export function keepLayout(text: string, random: DigestRandom): string {
  let out = '';
  let first = true;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 48 && code <= 57) {
      out += first && code !== 48 ? DIGITS[1 + random.below(9)] : first ? '0' : DIGITS[random.below(10)];
      first = false;
    } else if (code >= 65 && code <= 90) out += UPPER[random.below(26)];
    else if (code >= 97 && code <= 122) out += LOWER[random.below(26)];
    else out += text[i];
  }
  return out;
}
