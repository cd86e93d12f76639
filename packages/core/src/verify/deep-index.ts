import type { SourceTable } from './source-values.ts';

/** Sampled source values of masked columns → the columns (`table.column`) they came from. */
export type DeepIndex = Map<string, Set<string>>;

/** Shorter values (`CA`, `Ann`) turn up everywhere by chance; matching them would only be noise. */
const MIN_LENGTH = 4;

/** Where words end in free text; `@ . + - _` stay inside, so an email address is one word. */
const SEPARATORS = /[\s,;:"'`<>()[\]{}|\\/=!?*]+/;

/** A text value as the deep check compares it: the whole value and each of its words. */
export function tokensOf(text: string): string[] {
  // A sentence's full stop is not part of the address that ends it.
  const words = text
    .split(SEPARATORS)
    .map((w) => w.replace(/^[.\-_+]+|[.\-_+]+$/g, ''))
    .filter((w) => w.length >= MIN_LENGTH);
  return text.length >= MIN_LENGTH && !words.includes(text) ? [text, ...words] : words;
}

/**
 * Values worth looking for everywhere: those with a digit or an `@` (emails, phone numbers,
 * street addresses, account and user ids). Plain words (first names, cities) turn up in any
 * catalogue by chance: an actor called JENNIFER is no customer's leak.
 */
const DISTINCTIVE = /[\d@]/;

/** The index `--deep` looks words up in: the distinctive sampled values of every leak-checked column. */
export function buildDeepIndex(sources: Iterable<SourceTable>): DeepIndex {
  const index: DeepIndex = new Map();
  for (const source of sources) {
    for (const [column, values] of source.values) {
      const subject = `${source.plan.source.name}.${column}`;
      for (const value of values) {
        // Binary values are keyed with a NUL prefix and never appear in text.
        if (value.length < MIN_LENGTH || value.startsWith('\u0000') || !DISTINCTIVE.test(value)) continue;
        (index.get(value) ?? index.set(value, new Set()).get(value)!).add(subject);
      }
    }
  }
  return index;
}
