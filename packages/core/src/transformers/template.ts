import { z } from 'zod';
import type { Row } from '../dialects/dialect.ts';
import { defineTransformer } from './define-transformer.ts';
import { fakerFor, isFakerMethod, resultText } from './faker-method.ts';
import { fitColumn, textOf } from './fit.ts';

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** One piece of a template: literal text, a column of the row, or a faker method. */
type Part = { text: string } | { column: number } | { faker: () => unknown };

/**
 * Splits a template into parts, resolving every name now, so a typo fails before any row moves.
 * `callFaker(name)` gives the function that draws that faker method's next value.
 */
function compile(
  template: string,
  self: string,
  columnIndex: (name: string) => number,
  callFaker: (name: string) => () => unknown,
): Part[] {
  const parts: Part[] = [];
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    parts.push({ text: template.slice(last, match.index) });
    last = match.index + match[0].length;
    const name = match[1]!;
    if (name.startsWith('row.')) {
      const index = columnIndex(name.slice(4));
      if (index < 0) throw new Error(`unknown column "${name.slice(4)}" in {{${name}}}`);
      // The masked column's own source value would come through unmasked.
      if (name.slice(4) === self) throw new Error(`{{${name}}} would copy the value being masked`);
      parts.push({ column: index });
    } else if (isFakerMethod(name)) {
      parts.push({ faker: callFaker(name) });
    } else {
      throw new Error(`{{${name}}} is neither row.COLUMN nor a faker method such as person.firstName`);
    }
  }
  parts.push({ text: template.slice(last) });
  const unclosed = parts.find((p) => 'text' in p && (p.text.includes('{{') || p.text.includes('}}')));
  if (unclosed) throw new Error('unbalanced {{ or }}');
  return parts.filter((p) => !('text' in p) || p.text !== '');
}

export const template = defineTransformer({
  name: 'template',
  description:
    "Text built from a template: `{{row.COLUMN}}` inserts another column's source value, " +
    '`{{module.method}}` a faker value deterministic per masked value.',
  params: z.strictObject({
    template: z
      .string()
      .min(1)
      .describe(
        'E.g. `{{person.firstName}}.{{row.id}}@example.org`. Row values are the unmasked source values: ' +
          'insert only columns that are not personal.',
      ),
  }),
  columnTypes: ['text'],
  create({ template: text }, { column, keyed, locale, columnIndex }) {
    const { faker, random } = fakerFor(locale);
    const callFaker = (name: string) => {
      const [moduleName, method] = name.split('.') as [string, string];
      const module = (faker as unknown as Record<string, Record<string, (this: unknown) => unknown>>)[moduleName]!;
      const fn = module[method]!;
      return () => fn.call(module);
    };
    const parts = compile(text, column.name, columnIndex, callFaker);
    const usesFaker = parts.some((p) => 'faker' in p);
    return (value, row: Row) => {
      if (value === null) return null;
      // One digest per value; every faker placeholder draws the next numbers of the same stream.
      if (usesFaker) random.reseed(keyed.digest(value));
      let out = '';
      for (const part of parts) {
        if ('text' in part) out += part.text;
        else if ('column' in part) {
          const cell = row[part.column];
          out += cell === null || cell === undefined ? '' : textOf(cell);
        } else out += resultText(part.faker(), column);
      }
      return fitColumn(out, column);
    };
  },
});
