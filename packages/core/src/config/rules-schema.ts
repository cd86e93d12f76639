import { z } from 'zod';

/**
 * The rules file as written, in zod: the single source of truth for parsing, for the
 * normalised types and for the JSON Schema editors use (scripts/write-json-schema.ts).
 * Transformer parameters are passed through untouched here: the transformer registry
 * validates them, because only it knows each transformer's parameters.
 */

const nonEmpty = () => z.string().min(1);

/** One column's rule as written: YAML null, a name, or `{ transform, ...params }`. */
export const ColumnRuleSchema = z.union(
  [
    z.null().describe('Write NULL into this column.'),
    nonEmpty().describe(
      '`keep` (copy unchanged), `null` (write NULL), or a transformer name such as `email` or `person.firstName`.',
    ),
    z
      .looseObject({
        transform: nonEmpty().describe(
          'Transformer name: `keep`, `null`, `email`, `hash`, `partial`, … ' +
            'or a faker method such as `person.firstName`.',
        ),
        unique: z
          .boolean()
          .optional()
          .describe('Distinct inputs give distinct outputs within a run (automatic on primary and unique keys).'),
        when: nonEmpty()
          .optional()
          .describe('SQL condition on the source row: the rule applies only to rows where it holds.'),
        consistent: nonEmpty()
          .optional()
          .describe(
            'Consistency domain: rules with the same name map equal inputs to equal outputs. ' +
              'Default: the transformer name.',
          ),
        group: nonEmpty()
          .optional()
          .describe(
            'Columns of a table with the same group are generated together from one draw over their source ' +
              "values, so they agree: a person's names, email and username; an address's street, city, " +
              'state, postal code and country.',
          ),
      })
      .describe('A transformer with parameters; every other key is a parameter of that transformer.'),
  ],
  { error: 'a column rule must be keep, null, a transformer name, or { transform: NAME, ...params }' },
);

/** A table's rule in its long form. */
export const TableRuleObjectSchema = z.strictObject({
  columns: z
    .record(nonEmpty(), ColumnRuleSchema)
    .optional()
    .describe('Rule per column name. With `strict: true` every source column must be named.'),
  where: nonEmpty().optional().describe('SQL row filter: only source rows where it holds are copied.'),
  skip: z.boolean().optional().describe('Copy no rows; the target table is emptied.'),
});

/** `skip`, or the long form. */
export const TableRuleSchema = z.union(
  [z.literal('skip').describe('Copy no rows; the target table is emptied.'), TableRuleObjectSchema],
  { error: 'a table rule must be skip or a mapping with columns, where or skip' },
);

/** One root of a subset: which of the table's rows the subset starts from. */
export const SubsetRootSchema = z
  .strictObject({
    where: nonEmpty()
      .optional()
      .describe("SQL condition on the root table's rows, run on the source: only rows where it holds are roots."),
    percent: z
      .number()
      .gt(0)
      .max(100)
      .optional()
      .describe(
        'Keep this share of the rows (after `where`), chosen by a keyed hash of their primary key under the ' +
          'secret: the same secret keeps the same rows.',
      ),
    limit: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Keep at most this many rows (after `where` and `percent`): those with the smallest keyed hash.'),
  })
  .describe('Where the subset starts in this table: `where`, then `percent` and/or `limit`; all rows when empty.');

/** `subset:`: a smaller staging that still holds together (docs/subsetting.md). */
export const SubsetSchema = z
  .strictObject({
    roots: z
      .record(nonEmpty(), SubsetRootSchema)
      .describe('The tables the subset starts from (schema-qualified, bare or a glob), each with its choice of rows.'),
    children: z
      .enum(['all', 'none'])
      .default('all')
      .describe('`all`: rows that reference a kept root row are kept, and so on down; `none`: only the roots.'),
    others: z
      .enum(['all', 'none'])
      .default('all')
      .describe(
        'Tables that are neither roots nor their children: copied whole (`all`) or left empty (`none`); ' +
          'either way every row a kept row references is kept.',
      ),
  })
  .describe('Copy a referentially whole subset: the roots, their children, and every row a kept row references.');

/** One foreign key the schema does not declare. */
export const RelationSchema = z
  .strictObject({
    from: nonEmpty().describe(
      'The referencing columns: `table(column)` or `table(a, b)`, e.g. `public.orders(customer_ref)`.',
    ),
    to: nonEmpty().describe(
      'The referenced columns, in the same order: `table(column)`, e.g. `public.customer(customer_id)`.',
    ),
  })
  .describe('A foreign key enforced by the application, not the schema.');

/** The whole rules file. Unknown keys are errors: a typo must not silently drop a rule. */
export const RulesFileSchema = z
  .strictObject({
    $schema: z.string().optional().describe('JSON Schema for editors; masque ignores it.'),
    source: nonEmpty()
      .optional()
      .describe('Source (production) database URL, e.g. `${MASQUE_SOURCE_URL}`. `--source` overrides it.'),
    target: nonEmpty()
      .optional()
      .describe('Target (staging) database URL, e.g. `${MASQUE_TARGET_URL}`. `--target` overrides it.'),
    secret: nonEmpty()
      .optional()
      .describe(
        'HMAC key, e.g. `${MASQUE_SECRET}`: same secret and same input give the same masked output. Never printed.',
      ),
    locale: nonEmpty().default('en').describe('Faker locale of invented values, e.g. `en`, `de`.'),
    strict: z
      .boolean()
      .default(true)
      .describe(
        'When true, a source column that no rule names is an error; when false it is copied unchanged with a warning.',
      ),
    protect: z
      .array(nonEmpty())
      .optional()
      .describe('Databases masque must never write to (production guard), e.g. host names or URLs.'),
    tables: z
      .record(nonEmpty(), TableRuleSchema)
      .describe('Rule per table: schema-qualified (`public.customer`), bare (`customer`) or a glob (`payment_p*`).'),
    subset: SubsetSchema.optional(),
    relations: z
      .array(RelationSchema)
      .optional()
      .describe(
        'Foreign keys the schema does not declare: they count wherever a declared one does (subsets, masked keys, ' +
          "load order, verify's key check).",
      ),
  })
  .meta({
    title: 'masque rules',
    description: 'How masque copies a production database into staging, masking personal data on the way.',
  });

/** The rules file after zod parsing, defaults applied, before normalisation. */
export type RulesFile = z.output<typeof RulesFileSchema>;
/** One column's rule as written, after parsing. */
export type ColumnRuleInput = z.output<typeof ColumnRuleSchema>;
/** One table's rule as written, after parsing. */
export type TableRuleInput = z.output<typeof TableRuleSchema>;
/** `subset:` as written, after parsing. */
export type SubsetInput = z.output<typeof SubsetSchema>;

/**
 * The keys a strict object accepts at `path`, for "did you mean" hints. The top level, the long
 * table form, `subset`, its roots and `relations` are strict; column rules pass unknown keys on
 * as parameters.
 */
export function knownKeysAt(path: readonly PropertyKey[]): string[] {
  if (path.length === 0) return Object.keys(RulesFileSchema.shape);
  if (path[0] === 'subset') return Object.keys(path.length === 1 ? SubsetSchema.shape : SubsetRootSchema.shape);
  if (path[0] === 'relations') return Object.keys(RelationSchema.shape);
  return Object.keys(TableRuleObjectSchema.shape);
}
