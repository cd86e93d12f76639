import type { TableInfo } from '../dialects/schema.ts';

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/**
 * Whether a rules pattern names a table: `schema.table` matches the qualified name, a bare name
 * the table in any schema; `*` and `?` glob (so `payment_p*` names every partition).
 */
export function matchesTable(pattern: string, table: TableInfo): boolean {
  const regexp = globToRegExp(pattern);
  return pattern.includes('.') ? regexp.test(table.name) : regexp.test(table.table);
}
