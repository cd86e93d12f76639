import type { TableInfo } from '../dialects/schema.ts';
import { didYouMean } from '../did-you-mean.ts';
import { formatName, parseTableName, type NamePart } from '../names.ts';

function partRegExp({ text, quoted }: NamePart): RegExp {
  const literal = text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${quoted ? literal : literal.replace(/\\\*/g, '.*').replace(/\\\?/g, '.')}$`);
}

/**
 * Whether a rules pattern names a table: `schema.table` matches schema and table, a bare name
 * the table in any schema; `*` and `?` in plain parts glob (so `payment_p*` names every partition).
 */
export function matchesTable(pattern: string, table: TableInfo): boolean {
  const parts = parseTableName(pattern);
  if (parts.length === 1) return partRegExp(parts[0]!).test(table.table);
  const [schema, name] = parts as [NamePart, NamePart];
  return table.schema !== undefined && partRegExp(schema).test(table.schema) && partRegExp(name).test(table.table);
}

/** ` (did you mean X?)` with X a table's name in a form that can be pasted back, or nothing. */
export function suggestTable(pattern: string, tables: readonly TableInfo[]): string {
  // Compared unquoted, so that the quotes a pattern is spelt with do not count as typos.
  const written = new Map(tables.map((t) => [t.name, formatName(t.schema === undefined ? [t.table] : [t.schema, t.table])]));
  return didYouMean(parseTableName(pattern).map((p) => p.text).join('.'), written.keys(), (name) => written.get(name)!);
}
