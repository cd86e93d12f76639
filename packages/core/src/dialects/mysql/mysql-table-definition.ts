/**
 * A table's definition as `SHOW CREATE TABLE` prints it, taken apart where the swap needs it: the
 * secondary indexes a shadow may load without and build afterwards, the foreign keys recreated
 * once the shadow is the table, and a form of the whole that two tables share when one is an
 * exact copy of the other (`CREATE TABLE … LIKE`), whatever their names, keys and counters.
 */
import type { MysqlSession } from './mysql-driver.ts';
import { quoteIdentifier } from './mysql-sql.ts';

/** One index or foreign key: its name and its definition, as a clause of ALTER TABLE … ADD. */
export interface DefinitionClause {
  name: string;
  clause: string;
}

export interface TableDefinition {
  /** The statement as the server printed it. */
  statement: string;
  /** B-tree secondary indexes (`KEY`, `UNIQUE KEY`), in the server's order: built after a load. */
  indexes: DefinitionClause[];
  /** Foreign keys, in the server's order. */
  foreignKeys: DefinitionClause[];
}

const quoted = '`((?:[^`]|``)*)`';
/** An index a shadow loads without: not FULLTEXT, SPATIAL or VECTOR, nor a hash-based long UNIQUE. */
const indexLine = new RegExp(`^ {2}((?:UNIQUE )?KEY ${quoted} .*?),?$`);
const foreignKeyLine = new RegExp(`^ {2}(CONSTRAINT ${quoted} FOREIGN KEY .*?),?$`);

/** `SHOW CREATE TABLE` of `table`, taken apart. */
export async function readTableDefinition(session: MysqlSession, table: string): Promise<TableDefinition> {
  const [row] = await session.rows(`SHOW CREATE TABLE ${quoteIdentifier(table)}`);
  return parseTableDefinition(String(row?.[1]));
}

export function parseTableDefinition(statement: string): TableDefinition {
  const indexes: DefinitionClause[] = [];
  const foreignKeys: DefinitionClause[] = [];
  for (const line of bodyLines(statement)) {
    const index = indexLine.exec(line);
    if (index && !/ USING HASH\b/.test(line)) indexes.push({ name: unquote(index[2]!), clause: index[1]! });
    const key = foreignKeyLine.exec(line);
    if (key) foreignKeys.push({ name: unquote(key[2]!), clause: key[1]! });
  }
  return { statement, indexes, foreignKeys };
}

/**
 * The definition without what a shadow made by `CREATE TABLE … LIKE` may lack or hold otherwise:
 * the table's name, its foreign keys (LIKE copies none), the AUTO_INCREMENT counter, and the
 * indexes named in `without` (dropped for the load). Two tables with the same shape agree on it.
 */
export function definitionShape(definition: TableDefinition, without: ReadonlySet<string> = new Set()): string {
  const dropped = new Set([
    ...definition.foreignKeys.map((k) => k.clause),
    ...definition.indexes.filter((i) => without.has(i.name)).map((i) => i.clause),
  ]);
  const lines = definition.statement.split('\n');
  const body = bodyLines(definition.statement)
    .map((line) => line.replace(/,$/, ''))
    .filter((line) => !dropped.has(line.trim()));
  const end = lines.findIndex((line) => line.startsWith(')'));
  const options = lines.slice(end).map((line) => line.replace(/ AUTO_INCREMENT=\d+/, ''));
  return ['CREATE TABLE (', ...body, ...options].join('\n');
}

/** The lines between the statement's first line and the one that closes its column list. */
function bodyLines(statement: string): string[] {
  const lines = statement.split('\n');
  const end = lines.findIndex((line) => line.startsWith(')'));
  return lines.slice(1, end < 0 ? lines.length : end);
}

function unquote(name: string): string {
  return name.replaceAll('``', '`');
}

/**
 * Whether the definition was read without doubt: each index it lists is one the catalogue names,
 * each foreign key the catalogue names is listed once (a name holding a line break would break
 * that), and the table has no DATA or INDEX DIRECTORY, which `CREATE TABLE … LIKE` does not copy.
 */
export function definitionIsPlain(
  definition: TableDefinition,
  catalogue: { indexes: string[]; foreignKeys: string[] },
): boolean {
  if (/ (DATA|INDEX) DIRECTORY=/.test(definition.statement)) return false;
  const indexes = definition.indexes.map((i) => i.name);
  const keys = definition.foreignKeys.map((k) => k.name);
  return (
    new Set(indexes).size === indexes.length &&
    indexes.every((name) => catalogue.indexes.includes(name)) &&
    new Set(keys).size === keys.length &&
    keys.length === catalogue.foreignKeys.length &&
    catalogue.foreignKeys.every((name) => keys.includes(name))
  );
}
