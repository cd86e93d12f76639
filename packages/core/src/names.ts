import { ConfigError } from './errors.ts';

/**
 * Table and column names as users write them: in rules keys, `--only` and `preview TABLE`.
 *
 * A name is parts separated by dots (`schema.table`). A part is either plain, read as written
 * (case and spaces kept, so `Sales Ops.Client List` works), or quoted as SQL quotes it, with
 * `"…"` or MySQL's `` `…` `` and the quote doubled inside (`"a""b"`), which lets a part hold a
 * dot. People copy names from SQL, so both forms name the same thing. Quoting never folds case:
 * masque compares names exactly either way.
 */
export interface NamePart {
  text: string;
  /** Written in quotes: taken literally (a table pattern's `*` and `?` glob only in plain parts). */
  quoted: boolean;
}

/** The parts of a written name; a ConfigError naming the text when it cannot be read. */
export function parseName(written: string): NamePart[] {
  const fail = (why: string): never => {
    throw new ConfigError(`cannot read the name '${written}': ${why}`);
  };
  const empty = 'a part is empty (a dot at an end, or two dots in a row)';
  const parts: NamePart[] = [];
  for (let at = 0; ; at++) {
    const quote = written[at];
    let end: number;
    if (quote === '"' || quote === '`') {
      // The closing quote is the first one not doubled; a doubled one stands for itself.
      end = at + 1;
      while (written[end] !== quote || written[end + 1] === quote) {
        if (end >= written.length) fail(`the ${quote} at character ${at + 1} is never closed`);
        end += written[end] === quote ? 2 : 1;
      }
      end++;
      const text = written.slice(at + 1, end - 1).replaceAll(quote + quote, quote);
      if (!text) fail('a quoted part is empty');
      if (end < written.length && written[end] !== '.') {
        fail(`a quoted part must be followed by "." or the end, not ${written.slice(end)}`);
      }
      parts.push({ text, quoted: true });
    } else {
      end = written.indexOf('.', at);
      if (end < 0) end = written.length;
      const text = written.slice(at, end);
      if (!text) fail(empty);
      if (/["`]/.test(text))
        fail(`a quote in an unquoted part; quote the part, doubling the quote: ${formatName([text])}`);
      parts.push({ text, quoted: false });
    }
    at = end;
    if (at === written.length) return parts;
    if (at + 1 === written.length) fail(empty);
  }
}

/** A table's name: `table` or `schema.table`. */
export function parseTableName(written: string): NamePart[] {
  const parts = parseName(written);
  if (parts.length > 2) {
    const example = formatName([
      parts
        .slice(0, -1)
        .map((p) => p.text)
        .join('.'),
      parts.at(-1)!.text,
    ]);
    const why = `a table is table or schema.table; quote a part with a dot: ${example}`;
    throw new ConfigError(`'${written}' has ${parts.length} parts, but ${why}`);
  }
  return parts;
}

/** A column's name: one part, returned unquoted. */
export function parseColumnName(written: string): string {
  const parts = parseName(written);
  if (parts.length > 1) {
    const example = formatName([parts.map((p) => p.text).join('.')]);
    const why = `a column is one name; quote a name with a dot: ${example}`;
    throw new ConfigError(`'${written}' has ${parts.length} parts, but ${why}`);
  }
  return parts[0]!.text;
}

/**
 * A name written so that `parseName` reads it back: each part plain when plain reads the same,
 * double-quoted when it holds a dot, a quote, or a glob character (`*`, `?`).
 */
export function formatName(parts: readonly string[]): string {
  const write = (part: string): string => (/^[^."`*?]+$/.test(part) ? part : `"${part.replaceAll('"', '""')}"`);
  return parts.map(write).join('.');
}

/** `a,"b,c",d` → the written names `a`, `"b,c"`, `d`: commas inside quotes belong to the name. */
export function splitNames(list: string): string[] {
  const names: string[] = [];
  let current = '';
  let quote: string | undefined;
  for (const char of list) {
    if (quote) {
      if (char === quote) quote = undefined;
    } else if (char === '"' || char === '`') {
      quote = char;
    } else if (char === ',') {
      names.push(current.trim());
      current = '';
      continue;
    }
    current += char;
  }
  names.push(current.trim());
  return names.filter(Boolean);
}
