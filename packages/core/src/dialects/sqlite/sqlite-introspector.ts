import { DatabaseError } from '../../errors.ts';
import type { ColumnInfo, DatabaseSchema, ForeignKey, TableInfo } from '../schema.ts';
import { errorMessage, type SqliteDatabase } from './sqlite-driver.ts';
import { foreignKeyName } from './sqlite-foreign-keys.ts';
import { notInternal, quoteIdentifier } from './sqlite-sql.ts';
import { sqliteTypeInfo } from './sqlite-types.ts';

interface TableRow {
  name: string;
  /** 1 for a WITHOUT ROWID table. */
  wr: number;
}

interface ColumnRow {
  name: string;
  type: string;
  notnull: number;
  dflt_value: string | null;
  pk: number;
  /** 0 normal, 1 hidden (virtual tables), 2 generated VIRTUAL, 3 generated STORED. */
  hidden: number;
}

interface ForeignKeyRow {
  id: number;
  parent: string;
  from: string;
  to: string | null;
}

/**
 * Reads tables, columns and keys from the pragmas. Only ordinary tables of the main schema:
 * SQLite's own `sqlite_%` tables, views, virtual tables and their shadow tables are left out
 * (a virtual table's rows live in its shadow tables and are rebuilt by the module, not copied).
 */
export function introspectSqlite(db: SqliteDatabase): DatabaseSchema {
  try {
    const rows = db
      .prepare(
        `SELECT name, wr FROM pragma_table_list
         WHERE schema = 'main' AND type = 'table' AND ${notInternal}
         ORDER BY name`,
      )
      .all() as TableRow[];
    const tables = rows.map((row) => readTable(db, row));
    for (const table of tables) table.foreignKeys = readForeignKeys(db, table, tables);
    return { tables };
  } catch (error) {
    throw new DatabaseError(`cannot read the SQLite schema: ${errorMessage(error)}`, { cause: error });
  }
}

function readTable(db: SqliteDatabase, { name, wr }: TableRow): TableInfo {
  const all = db.prepare('SELECT * FROM pragma_table_xinfo(?)').all(name) as ColumnRow[];
  const rows = all.filter((c) => c.hidden !== 1);
  const keyRows = rows.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const primaryKey = keyRows.map((c) => c.name);
  // A rowid table's single-column key declared exactly `INTEGER` is the rowid itself: SQLite
  // numbers new rows past the largest one (and past sqlite_sequence with AUTOINCREMENT).
  const rowidAlias =
    wr === 0 && keyRows.length === 1 && keyRows[0]?.type.toUpperCase() === 'INTEGER' ? keyRows[0].name : undefined;
  const columns = rows.map((c): ColumnInfo => {
    const isKey = c.pk > 0;
    return {
      name: c.name,
      dataType: c.type,
      ...sqliteTypeInfo(c.type),
      // SQLite lets NULL into most key columns (a historic quirk), but not into a rowid alias
      // or a WITHOUT ROWID key.
      nullable: c.notnull === 0 && !(isKey && (wr === 1 || c.name === rowidAlias)),
      ...(c.dflt_value === null ? {} : { defaultExpr: c.dflt_value }),
      generated: c.hidden === 2 || c.hidden === 3,
      identity: c.name === rowidAlias,
    };
  });
  const { n } = db.prepare(`SELECT count(*) AS n FROM ${quoteIdentifier(name)}`).get() as { n: number };
  const uniqueKeys = readUniqueKeys(db, name);
  return { name, table: name, columns, primaryKey, uniqueKeys, foreignKeys: [], estimatedRows: n };
}

/** Unique constraints and unique indexes other than the primary key, each as its column list. */
function readUniqueKeys(db: SqliteDatabase, table: string): string[][] {
  const indexes = db
    .prepare(`SELECT name FROM pragma_index_list(?) WHERE "unique" = 1 AND origin <> 'pk' ORDER BY seq DESC`)
    .all(table) as { name: string }[];
  const keys: string[][] = [];
  for (const index of indexes) {
    const parts = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(index.name) as {
      name: string | null;
    }[];
    // An index on an expression (`lower(email)`) has no column to name; it cannot be expressed here.
    if (parts.some((p) => p.name === null)) continue;
    const columns = parts.map((p) => p.name as string);
    if (!keys.some((k) => k.join('\0') === columns.join('\0'))) keys.push(columns);
  }
  return keys;
}

/**
 * Foreign keys grouped by constraint. SQLite numbers them last-declared first, so they are
 * returned reversed, in declaration order. `REFERENCES parent` without columns means the parent's
 * primary key, and the parent's name is matched without case, as SQLite does.
 */
function readForeignKeys(db: SqliteDatabase, table: TableInfo, tables: TableInfo[]): ForeignKey[] {
  const rows = db
    .prepare('SELECT id, "table" AS parent, "from", "to" FROM pragma_foreign_key_list(?) ORDER BY id DESC, seq')
    .all(table.name) as ForeignKeyRow[];
  const groups = new Map<number, ForeignKeyRow[]>();
  for (const row of rows) groups.set(row.id, [...(groups.get(row.id) ?? []), row]);
  return [...groups.values()].map((group) => {
    const written = group[0]?.parent ?? '';
    const parent = tables.find((t) => t.name.toLowerCase() === written.toLowerCase());
    const columns = group.map((r) => r.from);
    const named = group.map((r) => r.to);
    const referencedColumns = named.every((c): c is string => c !== null) ? named : (parent?.primaryKey ?? []);
    return {
      name: foreignKeyName(table.name, columns),
      table: table.name,
      columns,
      referencedTable: parent?.name ?? written,
      referencedColumns,
    };
  });
}
