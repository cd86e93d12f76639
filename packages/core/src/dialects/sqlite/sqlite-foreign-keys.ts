import type { TableInfo } from '../schema.ts';
import { brokenKeyMessage, brokenKeysError } from '../orphan-check.ts';
import type { SqliteDatabase } from './sqlite-driver.ts';

/** SQLite keeps no constraint names: masque names a foreign key after its table and columns. */
export function foreignKeyName(table: string, columns: string[]): string {
  return `${table}_${columns.join('_')}_fkey`;
}

/** The orphans of one key of a child table: `fkid` is the key's id in `pragma_foreign_key_list`. */
interface Violation {
  table: string;
  parent: string;
  fkid: number;
  n: number;
}

/** The tables of the main database with a foreign key into the table `?`. */
const childrenSql = `SELECT DISTINCT s.name AS name
  FROM main.sqlite_schema AS s, pragma_foreign_key_list(s.name, 'main') AS f
  WHERE s.type = 'table' AND f."table" = ? COLLATE NOCASE`;

/**
 * SQLite's own check rather than the shared orphan query: it looks each row up in the parent's
 * key index. Keys in declaration order (SQLite numbers the last declared first).
 */
const checkSql = `SELECT "table", parent, fkid, count(*) AS n FROM pragma_foreign_key_check(?, 'main')
  GROUP BY "table", parent, fkid ORDER BY fkid DESC`;

const keyColumnsSql = `SELECT "from" FROM pragma_foreign_key_list(?, 'main') WHERE id = ? ORDER BY seq`;

/**
 * Throws when a foreign key of the main database is broken in the loaded tables or in a table
 * that references one of them (replacing a parent's rows can orphan the children of a table that
 * was not reloaded). Names key, table, parent and count, never a value.
 */
export function checkForeignKeys(db: SqliteDatabase, tables: TableInfo[]): void {
  const toCheck = new Set(tables.map((t) => t.table));
  const children = db.prepare(childrenSql);
  for (const table of tables) {
    for (const child of children.all(table.table) as { name: string }[]) toCheck.add(child.name);
  }
  const check = db.prepare(checkSql);
  const keyColumns = db.prepare(keyColumnsSql);
  const broken = [...toCheck]
    .flatMap((name) => check.all(name) as Violation[])
    .map((v) => {
      const columns = (keyColumns.all(v.table, v.fkid) as { from: string }[]).map((c) => c.from);
      return brokenKeyMessage({ name: foreignKeyName(v.table, columns), child: v.table, parent: v.parent }, v.n);
    });
  if (broken.length > 0) throw brokenKeysError(broken);
}
