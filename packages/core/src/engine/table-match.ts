import type { TableInfo } from '../dialects/schema.ts';
import { didYouMean } from '../did-you-mean.ts';
import { globMatcher } from '../glob.ts';
import { formatName, parseTableName, type NamePart } from '../names.ts';

/** Whether a part of a pattern names `name`: exactly, case included; a quoted part never globs. */
function partMatches({ text, quoted }: NamePart, name: string): boolean {
  return quoted ? text === name : globMatcher(text)(name);
}

/**
 * Whether a rules pattern names a table: `schema.table` matches schema and table, a bare name
 * the table in any schema; `*` and `?` in plain parts glob (so `payment_p*` names every partition).
 */
export function matchesTable(pattern: string, table: TableInfo): boolean {
  const parts = parseTableName(pattern);
  if (parts.length === 1) return partMatches(parts[0]!, table.table);
  const [schema, name] = parts as [NamePart, NamePart];
  return table.schema !== undefined && partMatches(schema, table.schema) && partMatches(name, table.table);
}

/** ` (did you mean X?)` with X a table's name in a form that can be pasted back, or nothing. */
export function suggestTable(pattern: string, tables: readonly TableInfo[]): string {
  // Compared unquoted, so that the quotes a pattern is spelt with do not count as typos.
  const written = new Map(
    tables.map((t) => [t.name, formatName(t.schema === undefined ? [t.table] : [t.schema, t.table])]),
  );
  const unquoted = parseTableName(pattern)
    .map((p) => p.text)
    .join('.');
  return didYouMean(unquoted, written.keys(), (name) => written.get(name)!);
}
