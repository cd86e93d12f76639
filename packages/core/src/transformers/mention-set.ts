/**
 * The values `mentions` looks for in free text, learnt from the source before the run: not the
 * values themselves but a 48-bit fingerprint of each (folded: lower case, spaces collapsed), with
 * the index of the column it came from in the low 5 bits, sorted in one Float64Array (integers
 * below 2^53 are exact there). 8 bytes a value: a million customers' first and last names take
 * 16 MB, and looking a word up is a binary search. A word that is no learnt value matches one by
 * chance with odds of about n / 2^48 (one in 280 million for a million values).
 */

import { cyrb53 } from '../engine/fingerprint.ts';
/** Columns one `mentions` rule may learn from: the index must fit in the fingerprint's low bits. */
export const MAX_MENTION_COLUMNS = 32;

/** Words a learnt value may have and still be found inside text: longer values are names no note repeats. */
export const MAX_MENTION_WORDS = 4;

/** Case and spacing do not hide a name: `MARY  Smith` is `mary smith`. */
export const foldMention = (text: string): string => text.trim().replace(/\s+/g, ' ').toLowerCase();

/** 48 bits of cyrb53, so that a column index fits beside it below 2^53. */
const fingerprint = (text: string): number => cyrb53(text) % 2 ** 48;

export class MentionSet {
  private keys = new Float64Array(1024);
  private size = 0;
  private sorted = true;
  /** The most words of any learnt value (at most MAX_MENTION_WORDS). */
  maxWords = 1;

  constructor(
    /** Distinct values it may hold; more is an error (the memory bound). */
    readonly limit: number,
  ) {}

  get count(): number {
    return this.size;
  }

  /** Learns a value of column `column` (0-based). Values of one or two characters are no names. */
  add(value: string, column: number): void {
    const folded = foldMention(value);
    const words = folded.split(' ').length;
    if (folded.length < 3 || words > MAX_MENTION_WORDS) return;
    if (this.size === this.keys.length) {
      this.compact();
      if (this.size * 2 > this.keys.length) this.grow();
    }
    if (this.size >= this.limit) this.compact();
    if (this.size >= this.limit) throw new Error(`more than ${this.limit} distinct values to look for`);
    this.keys[this.size++] = fingerprint(folded) * MAX_MENTION_COLUMNS + column;
    this.maxWords = Math.max(this.maxWords, words);
    this.sorted = false;
  }

  /** Sorted and without repeats: call once every value is learnt. */
  seal(): this {
    this.compact();
    return this;
  }

  /** The column a folded text was learnt from (the first, when several), or -1. */
  columnOf(folded: string): number {
    if (!this.sorted) this.compact();
    const base = fingerprint(folded) * MAX_MENTION_COLUMNS;
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]! < base) lo = mid + 1;
      else hi = mid;
    }
    const key = this.keys[lo];
    return lo < this.size && key !== undefined && key < base + MAX_MENTION_COLUMNS ? key - base : -1;
  }

  private compact(): void {
    const live = this.keys.subarray(0, this.size).sort();
    let n = 0;
    for (let i = 0; i < live.length; i++) if (i === 0 || live[i] !== live[i - 1]) live[n++] = live[i]!;
    this.size = n;
    this.sorted = true;
  }

  private grow(): void {
    const next = new Float64Array(this.keys.length * 2);
    next.set(this.keys.subarray(0, this.size));
    this.keys = next;
  }
}
