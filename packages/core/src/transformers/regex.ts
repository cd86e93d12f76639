import { z } from 'zod';
import { defineTransformer } from './define-transformer.ts';
import { fitColumn, textOf } from './fit.ts';

/** Why `new RegExp(pattern, flags)` fails, or undefined when it compiles. */
function regexError(pattern: string, flags: string): string | undefined {
  try {
    new RegExp(pattern, flags);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

export const regex = defineTransformer({
  name: 'regex',
  description:
    'Replace the matches of a regular expression (JavaScript syntax) by `replacement`; ' +
    'the result is cut to the column length.',
  params: z
    .strictObject({
      pattern: z.string().min(1).describe('Regular expression, JavaScript syntax, e.g. `\\d{4}$`.'),
      replacement: z
        .string()
        .default('')
        .describe("Replacement text; `$1`, `$<name>` and `$&` insert groups as in JavaScript's String.replace."),
      flags: z
        .string()
        .regex(/^(?!.*(.).*\1)[dgimsuvy]*$/, 'must be distinct letters among d g i m s u v y')
        .default('g')
        .describe('Regular expression flags; the default `g` replaces every match, without it only the first.'),
    })
    // An invalid pattern is a mistake in the rules file: refuse it with the parameters, before any row.
    .superRefine(({ pattern, flags }, ctx) => {
      const error = regexError(pattern, flags);
      if (error)
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression: ${error}` });
    }),
  columnTypes: ['text'],
  create({ pattern, replacement, flags }, { column }) {
    const re = new RegExp(pattern, flags);
    return (value) => {
      if (value === null) return null;
      // A sticky, non-global expression starts at lastIndex: start every value at 0.
      re.lastIndex = 0;
      const out = fitColumn(textOf(value).replace(re, replacement), column);
      return Buffer.isBuffer(value) ? Buffer.from(out, 'utf8') : out;
    };
  },
});
