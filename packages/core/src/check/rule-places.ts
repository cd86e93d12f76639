import type { Rules, TableRule } from '../config/rules.ts';
import type { DatabaseSchema, TableInfo } from '../dialects/schema.ts';
import { matchesTable } from '../engine/table-match.ts';
import type { Problem, SourcePlace } from '../errors.ts';

/** The rule that covers a source table: its own pattern, or its partitions' (rules may name either). */
export function tableRuleFor(rules: Rules, source: DatabaseSchema, table: TableInfo): TableRule | undefined {
  return (
    rules.tables.find((r) => matchesTable(r.pattern, table)) ??
    rules.tables.find((r) => source.tables.some((p) => p.partitionOf === table.name && matchesTable(r.pattern, p)))
  );
}

/**
 * Where in the rules file a problem's subject (`table` or `table.column`) is written: the
 * column's rule, else its table's rule. Lets every problem point at a line to edit.
 */
export function placeOfSubject(rules: Rules, source: DatabaseSchema, subject: string): SourcePlace | undefined {
  // The longest table name that prefixes the subject: table names may contain dots themselves.
  const table = source.tables
    .filter((t) => subject === t.name || subject.startsWith(`${t.name}.`))
    .sort((a, b) => b.name.length - a.name.length)[0];
  if (!table) return rules.tables.find((r) => r.pattern === subject)?.place;
  const rule = tableRuleFor(rules, source, table);
  const column = subject.slice(table.name.length + 1);
  return (column && rule?.columns.find((c) => c.column === column)?.place) || rule?.place;
}

/** Problems with a place wherever the rules file has one for their subject. */
export function withPlaces(problems: readonly Problem[], rules: Rules, source: DatabaseSchema): Problem[] {
  return problems.map((p) => {
    if (p.place) return p;
    const place = placeOfSubject(rules, source, p.subject);
    return place ? { ...p, place } : p;
  });
}
