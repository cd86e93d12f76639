import type { Rules, ColumnRule } from '../config/rules.ts';
import type { ColumnInfo, TableInfo } from '../dialects/schema.ts';
import { didYouMean } from '../did-you-mean.ts';
import { formatPlace, type Problem } from '../errors.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import { createKeyedHash } from '../transformers/keyed-hash.ts';
import { resolveTransformer, suggestTransformer } from '../transformers/registry.ts';

/** Problems found while building a transform: config errors (exit 2) and schema problems (exit 1). */
export interface BuildProblems {
  config: string[];
  schema: Problem[];
}

/** A column's transform, and its variants for repairing collisions of unique columns. */
export interface BuiltTransform {
  transform: Transform;
  /** The same transformer under the keyed-hash domain `domain#attempt`: another deterministic output. */
  variant(attempt: number): Transform;
}

/**
 * Builds the transform of one column from its rule, once, before any row moves: resolves the
 * transformer, validates its parameters and its fit to the column. `undefined` means the value
 * is copied unchanged (`keep`) or the rule could not be built (a problem was recorded).
 */
export function buildColumnTransform(
  rule: ColumnRule,
  table: TableInfo,
  column: ColumnInfo,
  rules: Rules,
  problems: BuildProblems,
  /** What the transformer's `prepare` loaded for this rule (see prepare-transformers.ts). */
  prepared?: unknown,
): BuiltTransform | undefined {
  const at = formatPlace(rule.place);
  if (rule.transform === 'keep') return undefined;
  const definition = resolveTransformer(rule.transform);
  if (!definition) {
    const suggestion = suggestTransformer(rule.transform);
    problems.config.push(
      `${at}: unknown transformer "${rule.transform}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
    );
    return undefined;
  }
  const params = definition.params.safeParse(rule.params);
  if (!params.success) {
    const known = Object.keys((definition.params as { shape?: object }).shape ?? {});
    for (const issue of params.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys)
          problems.config.push(`${at}: ${rule.transform}: unknown parameter "${key}"${didYouMean(key, known)}`);
        continue;
      }
      const name = issue.path.join('.');
      problems.config.push(`${at}: ${rule.transform}${name ? ` parameter ${name}` : ''}: ${issue.message}`);
    }
    return undefined;
  }
  const subject = `${table.name}.${column.name}`;
  if (definition.columnTypes && !definition.columnTypes.includes(column.category)) {
    const writes = definition.columnTypes.join(', ');
    problems.schema.push({
      severity: 'error',
      subject,
      place: rule.place,
      message: `${rule.transform} cannot write a ${column.dataType} column (it writes ${writes})`,
    });
    return undefined;
  }
  const names = table.columns.filter((c) => !c.generated).map((c) => c.name);
  const domain = rule.consistent ?? rule.transform;
  const create = (domainSuffix: string): Transform =>
    definition.create(params.data, {
      table,
      column,
      locale: rules.locale,
      keyed: createKeyedHash(rules.secret, domain + domainSuffix),
      columnIndex: (name) => names.indexOf(name),
      ...(prepared !== undefined && { prepared }),
    });
  try {
    return { transform: create(''), variant: (attempt) => create(`#${attempt}`) };
  } catch (error) {
    problems.schema.push({
      severity: 'error',
      subject,
      place: rule.place,
      message: `${rule.transform}: ${(error as Error).message}`,
    });
    return undefined;
  }
}
