import { z } from 'zod';
import type { ColumnInfo } from '../dialects/schema.ts';
import { type Transform, defineTransformer } from './define-transformer.ts';
import { fitString, textOf } from './fit.ts';
import { foldMention, MAX_MENTION_COLUMNS, MentionSet } from './mention-set.ts';
import { NestedRuleSchema, type NestedRule, type ResolveTransformer, resolveNestedRule } from './nested-rule.ts';

/** A word of free text: letters and digits, with `' . - _ @ +` inside (`O'Neil`, `mary@example.org`). */
const WORD = /[\p{L}\p{N}](?:[\p{L}\p{N}'’.\-_@+]*[\p{L}\p{N}])?/gu;

/** Masked names written into text have no column length of their own. */
function innerColumn(column: ColumnInfo, source: string): ColumnInfo {
  const { maxLength: _, ...rest } = column;
  return { ...rest, name: `${column.name} mention of ${source}`, dataType: 'text', category: 'text' };
}

/**
 * `mentions` replaces, inside free text, the values other columns of the source hold (a
 * customer's name in an order's note) with what their rules mask them to: the same transformer
 * under the same domain, so `Ask Mary Smith` becomes `Ask Rex Boyle` where the customer's row says
 * Rex Boyle. Before the run it learns the values of those columns from the source
 * (`PrepareEnv.readColumn`, one pass per column, fingerprints only: mention-set.ts), so its memory
 * is 8 bytes a distinct value, at most `maxValues`. In the text it looks up every run of up to 4
 * words (longest first); a single word only when it starts with a capital letter, as names do in
 * prose (`will` and `may` stay words, `Will` and `May` are names), a run of words in any case.
 * The rest of the text is kept as it is.
 */
export function mentionsTransformer(resolve: ResolveTransformer) {
  const of = z
    .record(z.string(), NestedRuleSchema)
    .describe(
      'Per source column (`table.column`), the rule that column has: `{ "customer.first_name": person.firstName }`. ' +
        'Its values found in the text are replaced with that rule’s output.',
    )
    .superRefine((rules, ctx) => {
      const entries = Object.entries(rules);
      if (!entries.length) ctx.addIssue({ code: 'custom', message: 'needs at least one column' });
      if (entries.length > MAX_MENTION_COLUMNS)
        ctx.addIssue({ code: 'custom', message: `at most ${MAX_MENTION_COLUMNS} columns` });
      for (const [name, rule] of entries) {
        if (!/.\../.test(name)) ctx.addIssue({ code: 'custom', path: [name], message: 'write it as table.column' });
        const nested = resolveNestedRule(rule, resolve);
        if (Array.isArray(nested))
          for (const message of nested) ctx.addIssue({ code: 'custom', path: [name], message });
      }
    });

  const compile = (rules: z.infer<typeof of>) =>
    Object.entries(rules).map(([source, rule]) => ({ source, rule: resolveNestedRule(rule, resolve) as NestedRule }));

  return defineTransformer({
    name: 'mentions',
    description:
      'Replace, inside free text, the values of other masked columns (a customer’s name in a note) with their ' +
      'masked values, consistent with those columns; the rest of the text is kept.',
    params: z.strictObject({
      of,
      maxValues: z
        .number()
        .int()
        .positive()
        .default(2_000_000)
        .describe('Distinct values learnt at most (8 bytes each); more stops the run before any row moves.'),
    }),
    columnTypes: ['text'],
    async prepare({ of: rules, maxValues }, env) {
      if (!env.readColumn) return undefined;
      const set = new MentionSet(maxValues);
      for (const [index, { source }] of compile(rules).entries()) {
        for await (const value of env.readColumn(source)) if (typeof value === 'string') set.add(value, index);
      }
      return set.seal();
    },
    create({ of: rules }, context) {
      const { column, keyed } = context;
      // Without a source to learn from (a unit test, `transformers`), nothing is found and text is kept.
      const set = context.prepared instanceof MentionSet ? context.prepared : new MentionSet(1).seal();
      const transforms: Transform[] = compile(rules).map(({ source, rule }) =>
        rule.definition.create(rule.params, {
          ...context,
          column: innerColumn(column, source),
          keyed: keyed.forDomain(rule.domain),
        }),
      );
      return (value, row) => {
        if (value === null) return null;
        const text = textOf(value);
        const out = replaceMentions(text, set, (index, found) => textOf(transforms[index]!(found, row) ?? ''));
        // A longer masked name may not fit: the text's end is cut, the real names are gone already.
        return out === text ? value : fitString(out, column.maxLength);
      };
    },
  });
}

/** `text` with every learnt run of words replaced by `mask(column index, the words as written)`. */
export function replaceMentions(text: string, set: MentionSet, mask: (index: number, found: string) => string): string {
  const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
  let out = '';
  let last = 0;
  for (let i = 0; i < words.length; ) {
    let matched = 0;
    let index = -1;
    for (let n = Math.min(set.maxWords, words.length - i); n >= 1 && !matched; n--) {
      const start = words[i]!.start;
      const end = words[i + n - 1]!.end;
      const found = text.slice(start, end);
      // Only spaces between the words of a name: `Smith, Mary` is two mentions, not one.
      if (n > 1 && /[^\s\p{L}\p{N}'’.\-_@+]/u.test(found)) continue;
      if (n === 1 && !/^\p{Lu}/u.test(found) && !/[\d@]/.test(found)) continue;
      index = set.columnOf(foldMention(found));
      if (index >= 0) matched = n;
    }
    if (!matched) {
      i++;
      continue;
    }
    const start = words[i]!.start;
    const end = words[i + matched - 1]!.end;
    out += text.slice(last, start) + mask(index, text.slice(start, end));
    last = end;
    i += matched;
  }
  return last ? out + text.slice(last) : text;
}
