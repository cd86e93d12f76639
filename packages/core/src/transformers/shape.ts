import { z } from 'zod';
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

/** 1 for an upper-case letter, 2 lower case, 3 a letter without case (漢), 0 anything else. */
function letterKind(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code >= 97 && code <= 122) return 2;
  if (code >= 65 && code <= 90) return 1;
  if (code < 128) return 0;
  const ch = text[i]!;
  const upper = ch.toUpperCase();
  const lower = ch.toLowerCase();
  if (upper !== lower) return ch === upper ? 1 : ch === lower ? 2 : 3;
  return /\p{L}/u.test(ch) ? 3 : 0;
}

/**
 * The case an input is written in, or undefined when it has none to keep: `MARY`, `ÉLODIE 2`
 * are upper (two or more upper-case letters, no lower); `mary`, `anna.user1@corp` lower;
 * `Mary Smith`, `O'Brien`, `Mary.Smith` title (two or more words, each starting upper, no
 * upper-case letter inside a word); `Mary`, `Hello world`, a lone `A` sentence (the first letter
 * upper, no other upper-case letter inside a word). Mixed case (`McDonald`, `iPhone`) and text
 * without cased letters (`漢字`, `12-345`) have none. Words are runs of letters.
 */
export function letterCase(text: string): LetterCase | undefined {
  let uppers = 0;
  let lowers = 0;
  let words = 0;
  let capitalWords = 0;
  let innerUpper = false;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const kind = letterKind(text, i);
    if (kind === 0) {
      inWord = false;
      continue;
    }
    if (!inWord) {
      words++;
      if (kind === 1) capitalWords++;
    } else if (kind === 1) innerUpper = true;
    if (kind === 1) uppers++;
    else if (kind === 2) lowers++;
    inWord = true;
  }
  if (uppers === 0) return lowers > 0 ? 'lower' : undefined;
  if (lowers === 0) return uppers > 1 ? 'upper' : 'sentence';
  // The first word must start upper: `eBay`, `iPhone`, `van Dijk` say nothing to copy.
  if (innerUpper || firstCased(text) !== 1) return undefined;
  return words > 1 && capitalWords === words ? 'title' : 'sentence';
}

/** The kind (letterKind) of the first cased letter. */
function firstCased(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const kind = letterKind(text, i);
    if (kind === 1 || kind === 2) return kind;
  }
  return 0;
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
    if (kind !== 0 && !inWord) {
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
