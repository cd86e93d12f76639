import { z } from 'zod';
import type { TransformerDefinition } from './define-transformer.ts';

/** Finds a transformer by name; `json` gets the registry's lookup this way, without an import cycle. */
export type ResolveTransformer = (name: string) => TransformerDefinition | undefined;

/** A rule inside another transformer's parameters (`json` paths): null, a name, or `{ transform, ...params }`. */
export const NestedRuleSchema = z.union([
  z.null().describe('Write JSON null.'),
  z.string().min(1).describe('A transformer name, e.g. `email` or `person.firstName`.'),
  z
    .looseObject({
      transform: z.string().min(1).describe('Transformer name.'),
      consistent: z
        .string()
        .min(1)
        .optional()
        .describe('Consistency domain; default the transformer name, so values mask as in columns.'),
    })
    .describe('A transformer with parameters; every other key is a parameter of that transformer.'),
]);

export type NestedRuleInput = z.infer<typeof NestedRuleSchema>;

/** A nested rule resolved and its parameters validated (defaults applied). */
export interface NestedRule {
  definition: TransformerDefinition;
  params: unknown;
  /** The keyed-hash domain: equal values mask alike here and in a column with the same domain. */
  domain: string;
}

/** Keys of a column rule that mean nothing inside a value. */
const COLUMN_ONLY = ['unique', 'when'];

/**
 * Resolves a nested rule, or returns its problems as messages (unknown transformer, bad
 * parameters), so `json` can report every one of them with the rule's other parameter errors.
 */
export function resolveNestedRule(rule: NestedRuleInput, resolve: ResolveTransformer): NestedRule | string[] {
  const { transform, consistent, ...raw } =
    rule === null ? { transform: 'null' } : typeof rule === 'string' ? { transform: rule } : rule;
  const misplaced = COLUMN_ONLY.filter((key) => key in raw);
  if (misplaced.length) return [`${misplaced.join(' and ')} apply to columns, not to values inside JSON`];
  const definition = resolve(transform);
  if (!definition) return [`unknown transformer "${transform}"`];
  if (definition.columnTypes && !definition.columnTypes.includes('text'))
    return [`${transform} cannot write values inside JSON`];
  const params = definition.params.safeParse(raw);
  if (!params.success) {
    return params.error.issues.map((issue) => {
      const name = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
      return `${transform}${name ? ` parameter ${name}` : ''}: ${issue.message}`;
    });
  }
  return { definition, params: params.data, domain: (consistent as string | undefined) ?? transform };
}
