import type { TableInfo } from '../schema.ts';
import { DatabaseError } from '../../errors.ts';
import type { SqliteDatabase } from './sqlite-driver.ts';

interface Violation {
  table: string;
  parent: string;
  n: number;
}

/**
 * Throws when a foreign key of the main database is broken in the loaded tables or in a table
 * that references one of them (replacing a parent's rows can orphan the children of a table that
 * was not reloaded). Names table, parent and count, never a value.
 */
export function checkForeignKeys(db: SqliteDatabase, tables: TableInfo[]): void {
  const toCheck = new Set(tables.map((t) => t.table));
  const children = db.prepare(
    `SELECT DISTINCT s.name AS name FROM main.sqlite_schema AS s, pragma_foreign_key_list(s.name, 'main') AS f
     WHERE s.type = 'table' AND f."table" = ? COLLATE NOCASE`,
  );
  for (const table of tables) for (const child of children.all(table.table) as { name: string }[]) toCheck.add(child.name);
  const check = db.prepare(`SELECT "table", parent, count(*) AS n FROM pragma_foreign_key_check(?, 'main') GROUP BY "table", parent`);
  const violations = [...toCheck].flatMap((name) => check.all(name) as Violation[]);
  if (violations.length > 0) {
    const details = violations.map((v) => `${v.n} row(s) of "${v.table}" reference missing rows of "${v.parent}"`);
    throw new DatabaseError(`foreign key check failed, nothing was loaded: ${details.join('; ')}`);
  }
}
