import type { z } from 'zod';
import type { Rules, ColumnRule } from '../config/rules.ts';
import type { ColumnInfo, TableInfo } from '../dialects/schema.ts';
import { didYouMean } from '../did-you-mean.ts';
import { formatPlace, type Problem } from '../errors.ts';
import type { Transform } from '../transformers/define-transformer.ts';
import type { ColumnGroup } from '../transformers/column-group.ts';
import { GROUP_MEMBERS, groupMemberProblem } from '../transformers/group-members.ts';
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
  /** Indexes of the columns whose masked values the transform reads (`{{masked.…}}`). */
  dependsOn: number[];
  /** True when it reads other columns of its row, source or masked (`{{row.…}}`, `by:`, a group). */
  readsRow: boolean;
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
  /** The column's group, when its rule has `group:`. */
  group?: ColumnGroup,
): BuiltTransform | undefined {
  const at = formatPlace(rule.place);
  if (rule.transform === 'keep') return undefined;
  if (rule.group !== undefined && group) return buildGroupMember(rule, column, group, problems);
  const definition = resolveTransformer(rule.transform);
  if (!definition) {
    const suggestion = suggestTransformer(rule.transform);
    problems.config.push(
      `${at}: unknown transformer "${rule.transform}"${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
    );
    return undefined;
  }
  const params = parseParams(definition.params, rule, problems);
  if (!params) return undefined;
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
  const dependsOn = new Set<number>();
  let readsRow = false;
  const create = (attempt: number): Transform =>
    definition.create(params.data, {
      table,
      column,
      locale: rules.locale,
      keyed: createKeyedHash(rules.secret, attempt ? `${domain}#${attempt}` : domain),
      columnIndex: (name) => {
        readsRow = true;
        return names.indexOf(name);
      },
      maskedIndex: (name) => {
        readsRow = true;
        const index = names.indexOf(name);
        if (index >= 0) dependsOn.add(index);
        return index;
      },
      attempt,
      ...(prepared !== undefined && { prepared }),
    });
  try {
    const transform = create(0);
    return { transform, variant: create, dependsOn: [...dependsOn], readsRow };
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

/** A rule's parameters validated by `schema`, or undefined with each problem recorded. */
function parseParams(schema: z.ZodType, rule: ColumnRule, problems: BuildProblems) {
  const at = formatPlace(rule.place);
  const params = schema.safeParse(rule.params);
  if (params.success) return params;
  const known = Object.keys((schema as { shape?: object }).shape ?? {});
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

/** A column of a group (`group: NAME`): its part of the group's person or address (group-members.ts). */
function buildGroupMember(
  rule: ColumnRule,
  column: ColumnInfo,
  group: ColumnGroup,
  problems: BuildProblems,
): BuiltTransform | undefined {
  const at = formatPlace(rule.place);
  const problem = groupMemberProblem(rule.transform, group.locale);
  if (problem) {
    problems.config.push(`${at}: group ${group.name}: ${problem}`);
    return undefined;
  }
  if (rule.consistent !== undefined) {
    problems.config.push(`${at}: group ${group.name}: consistent does not apply: the group's name is its domain`);
    return undefined;
  }
  const member = GROUP_MEMBERS[rule.transform]!;
  const params = parseParams(member.params, rule, problems);
  if (!params) return undefined;
  const create = (attempt: number) => member.create(params.data, column, group, attempt);
  return { transform: create(0), variant: create, dependsOn: [], readsRow: true };
}
