import { z } from 'zod';
import type { Row, Value } from '../dialects/dialect.ts';
import { defineTransformer } from './define-transformer.ts';
import { fakerFor, isFakerMethod, resultText } from './faker-method.ts';
import { fitColumn, textOf } from './fit.ts';
import { pick } from './keyed-hash.ts';
import { parseFilters, type TextFilter } from './text-filters.ts';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/**
 * One piece of a template: literal text, a column of the source row, a column of the masked row,
 * or a faker method; a placeholder's filters (`| lower`) apply to its text.
 */
type Part =
  | { text: string }
  | { column: number; filter?: TextFilter | undefined }
  | { masked: number; filter?: TextFilter | undefined }
  | { faker: () => unknown; filter?: TextFilter | undefined };

interface Names {
  self: string;
  columnIndex(name: string): number;
  maskedIndex: ((name: string) => number) | undefined;
  /** The function that draws a faker method's next value. */
  callFaker(name: string): () => unknown;
}

/** One placeholder's part: its name resolved now, so a typo fails before any row moves. */
function placeholder(inside: string, names: Names): Part {
  const [name = '', ...filterNames] = inside.split('|').map((s) => s.trim());
  const filter = parseFilters(filterNames, inside);
  if (name.startsWith('row.')) {
    const column = name.slice(4);
    const index = names.columnIndex(column);
    if (index < 0) throw new Error(`unknown column "${column}" in {{${name}}}`);
    // The masked column's own source value would come through unmasked.
    if (column === names.self) throw new Error(`{{${name}}} would copy the value being masked`);
    return { column: index, filter };
  }
  if (name.startsWith('masked.')) {
    const column = name.slice(7);
    if (!names.maskedIndex) throw new Error(`{{${name}}}: masked values exist only in a column's own rule`);
    // Declares the dependency: the engine masks that column before this one.
    const index = names.maskedIndex(column);
    if (index < 0) throw new Error(`unknown column "${column}" in {{${name}}}`);
    return { masked: index, filter };
  }
  if (isFakerMethod(name)) return { faker: names.callFaker(name), filter };
  throw new Error(`{{${name}}} is neither row.COLUMN, masked.COLUMN nor a faker method such as person.firstName`);
}

/** Splits a template into parts. */
function compile(template: string, names: Names): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push({ text: template.slice(last, match.index) });
    last = match.index + match[0].length;
    parts.push(placeholder(match[1]!, names));
  }
  parts.push({ text: template.slice(last) });
  const unclosed = parts.find((p) => 'text' in p && (p.text.includes('{{') || p.text.includes('}}')));
  if (unclosed) throw new Error('unbalanced {{ or }}');
  return parts.filter((p) => !('text' in p) || p.text !== '');
}

/** A cell's text for a template: NULL (or a value the masked row lacks) is empty. */
function cellText(cell: Value | undefined, filter: TextFilter | undefined): string {
  if (cell === null || cell === undefined) return '';
  return filter ? filter(textOf(cell)) : textOf(cell);
}

/**
 * Where a variant puts its number, when the template draws nothing random (only columns and
 * text): right after the last placeholder, so `{{masked.last_name | lower}}@example.com` varies
 * as `smith42@example.com`. Variants of templates with faker methods draw other fakes instead.
 */
function variantAt(parts: Part[]): number {
  for (let i = parts.length - 1; i >= 0; i--) if (!('text' in parts[i]!)) return i + 1;
  return parts.length;
}

export const template = defineTransformer({
  name: 'template',
  description:
    "Text built from a template: `{{row.COLUMN}}` inserts another column's source value, " +
    '`{{masked.COLUMN}}` its masked value, `{{module.method}}` a faker value deterministic per masked value; ' +
    '`| lower`, `upper`, `capitalize`, `title`, `slug`, `initial` filter a placeholder.',
  params: z.strictObject({
    template: z
      .string()
      .min(1)
      .describe(
        'E.g. `{{masked.first_name | slug}}.{{masked.last_name | slug}}@example.org`. Row values are the ' +
          'unmasked source values: insert only columns that are not personal.',
      ),
  }),
  columnTypes: ['text'],
  create({ template: text }, { column, keyed, locale, columnIndex, maskedIndex, attempt = 0 }) {
    const { faker, random } = fakerFor(locale);
    const callFaker = (name: string) => {
      const [moduleName, method] = name.split('.') as [string, string];
      const module = (faker as unknown as Record<string, Record<string, (this: unknown) => unknown>>)[moduleName]!;
      const fn = module[method]!;
      return () => fn.call(module);
    };
    const parts = compile(text, { self: column.name, columnIndex, maskedIndex, callFaker });
    const usesFaker = parts.some((p) => 'faker' in p);
    const readsMasked = parts.some((p) => 'masked' in p);
    // A variant of a template without faker methods would repeat the base output: it adds a number.
    const numbered = attempt > 0 && !usesFaker;
    const numberAt = numbered ? variantAt(parts) : -1;
    const numbers = 10 ** Math.min(1 + attempt, 9);
    return (value, row: Row, masked?: Row) => {
      if (value === null) return null;
      if (readsMasked && !masked) throw new Error('{{masked.…}} has no masked row here');
      // One digest per value; every faker placeholder draws the next numbers of the same stream.
      if (usesFaker) random.reseed(keyed.digest(value));
      let out = '';
      for (let i = 0; i < parts.length; i++) {
        if (i === numberAt) out += pick(keyed.digest(value), numbers);
        const part = parts[i]!;
        if ('text' in part) out += part.text;
        else if ('column' in part) out += cellText(row[part.column], part.filter);
        else if ('masked' in part) out += cellText(masked![part.masked], part.filter);
        else {
          const drawn = resultText(part.faker(), column);
          out += part.filter ? part.filter(drawn) : drawn;
        }
      }
      if (numberAt === parts.length) out += pick(keyed.digest(value), numbers);
      return fitColumn(out, column);
    };
  },
});
