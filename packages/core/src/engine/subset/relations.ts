import type { KeyRef, RelationRule } from '../../config/rules.ts';
import type { DatabaseSchema, ForeignKey, TableInfo } from '../../dialects/schema.ts';
import { didYouMean } from '../../did-you-mean.ts';
import type { Problem } from '../../errors.ts';
import { formatName } from '../../names.ts';
import { matchesTable, suggestTable } from '../table-match.ts';

/**
 * The schema with the rules' `relations:` added to its tables' foreign keys, so that every step
 * that follows declared keys (masked keys followed by their references, load order, subsets,
 * `verify`'s key check) follows these too. The tables that gain a key are copies; the schema
 * given is left as it is. Each side must name one table and columns it has: the problems say
 * which does not, at the place it is written.
 */
export function withRelations(
  schema: DatabaseSchema,
  relations: readonly RelationRule[] = [],
): { schema: DatabaseSchema; problems: Problem[] } {
  if (!relations.length) return { schema, problems: [] };
  const problems: Problem[] = [];
  const added = new Map<TableInfo, ForeignKey[]>();
  for (const relation of relations) {
    const from = resolve(relation.from, schema, problems);
    const to = resolve(relation.to, schema, problems);
    if (!from || !to || relation.from.columns.length !== relation.to.columns.length) continue;
    const key: ForeignKey = {
      name: `relation ${relation.from.text} → ${relation.to.text}`,
      table: from.name,
      columns: relation.from.columns,
      referencedTable: to.name,
      referencedColumns: relation.to.columns,
    };
    (added.get(from) ?? added.set(from, []).get(from)!).push(key);
  }
  const tables = schema.tables.map((t) => {
    const keys = added.get(t);
    return keys ? { ...t, foreignKeys: [...t.foreignKeys, ...keys] } : t;
  });
  return { schema: { ...schema, tables }, problems };
}

/** The one table `ref` names, with every column it lists; a problem otherwise. */
function resolve(ref: KeyRef, schema: DatabaseSchema, problems: Problem[]): TableInfo | undefined {
  if (!ref.table) return undefined; // unreadable: the rules' loader said so already
  const error = (subject: string, message: string): undefined =>
    void problems.push({ severity: 'error', subject, message, place: ref.place });
  const tables = schema.tables.filter((t) => !t.partitionOf && matchesTable(ref.table, t));
  if (!tables.length)
    return error(ref.table, `relation: no such table in the source${suggestTable(ref.table, schema.tables)}`);
  if (tables.length > 1) {
    const names = tables.map((t) => t.name).join(', ');
    return error(ref.table, `relation: names ${tables.length} tables (${names}); qualify it with its schema`);
  }
  const table = tables[0]!;
  let complete = true;
  for (const column of ref.columns) {
    if (table.columns.some((c) => c.name === column)) continue;
    const names = table.columns.map((c) => c.name);
    error(`${table.name}.${column}`, `relation: no such column${didYouMean(column, names, (c) => formatName([c]))}`);
    complete = false;
  }
  return complete ? table : undefined;
}
