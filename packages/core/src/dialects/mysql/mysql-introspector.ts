import type { Value } from '../dialect.ts';
import type { ColumnInfo, DatabaseSchema, TableInfo } from '../schema.ts';
import { stagingNames } from '../staging.ts';
import type { MysqlSession } from './mysql-driver.ts';
import { readForeignKeys } from './mysql-foreign-keys.ts';
import { startingWith } from './mysql-sql.ts';
import { categoryOf, parseEnumValues } from './mysql-types.ts';

const str = (v: Value | undefined): string => (v === null || v === undefined ? '' : String(v));
const num = (v: Value | undefined): number | undefined => (v === null || v === undefined ? undefined : Number(v));

/**
 * Reads the tables of the connection's database with their keys: views, sequences and masque's
 * own staging tables (`stagingNames.prefix`) excluded.
 */
export async function introspectMysql(session: MysqlSession): Promise<DatabaseSchema> {
  const tableRows = await session.rows(
    `SELECT TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES
     WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE IN ('BASE TABLE', 'SYSTEM VERSIONED')
       AND TABLE_NAME NOT LIKE ${startingWith(stagingNames.prefix)} ORDER BY TABLE_NAME`,
  );
  const tables = new Map<string, TableInfo>();
  for (const [name, estimate] of tableRows) {
    const table = str(name);
    tables.set(table, {
      name: table,
      table,
      columns: [],
      primaryKey: [],
      uniqueKeys: [],
      foreignKeys: [],
      estimatedRows: num(estimate),
    });
  }
  for (const [table, column] of await readColumns(session)) tables.get(table)?.columns.push(column);
  await readKeys(session, tables);
  // Only the portable fields: schemas are compared across databases, whose names differ.
  for (const { referencedSchema, referencedName, ...fk } of await readForeignKeys(session)) {
    tables.get(fk.table)?.foreignKeys.push(fk);
  }
  return { tables: [...tables.values()] };
}

async function readColumns(session: MysqlSession): Promise<[string, ColumnInfo][]> {
  const jsonColumns = await readJsonChecks(session);
  const rows = await session.rows(
    `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION,
            NUMERIC_SCALE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION`,
  );
  return rows.map(
    ([table, name, dataType, columnType, maxLength, precision, scale, nullable, defaultExpr, extra, generation]) => {
      const category = categoryOf(str(dataType), str(columnType), jsonColumns.has(`${str(table)}.${str(name)}`));
      const column: ColumnInfo = {
        name: str(name),
        dataType: str(columnType),
        category,
        nullable: nullable === 'YES',
        // MySQL 8 marks columns with expression defaults DEFAULT_GENERATED: those are still written.
        generated: /\b(VIRTUAL|STORED|PERSISTENT)\b|\bROW (START|END)\b/i.test(str(extra)) || str(generation) !== '',
        identity: /auto_increment/i.test(str(extra)),
      };
      if (category === 'text' && maxLength !== null) column.maxLength = Number(maxLength);
      if (precision !== null && (category === 'decimal' || category === 'float' || category === 'integer')) {
        column.precision = Number(precision);
        if (scale !== null) column.scale = Number(scale);
      }
      if (category === 'enum') column.enumValues = parseEnumValues(str(columnType));
      if (defaultExpr !== null) column.defaultExpr = str(defaultExpr);
      return [str(table), column];
    },
  );
}

/** MariaDB's JSON is LONGTEXT plus a `json_valid(col)` check; MySQL has a real JSON type. */
async function readJsonChecks(session: MysqlSession): Promise<Set<string>> {
  try {
    const rows = await session.rows(
      `SELECT TABLE_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()`,
    );
    const found = new Set<string>();
    for (const [table, clause] of rows) {
      const column = /^json_valid\(`((?:[^`]|``)+)`\)$/i.exec(str(clause))?.[1];
      if (column) found.add(`${str(table)}.${column.replaceAll('``', '`')}`);
    }
    return found;
  } catch {
    return new Set(); // MySQL's CHECK_CONSTRAINTS has no TABLE_NAME, and needs none (see above).
  }
}

async function readKeys(session: MysqlSession, tables: Map<string, TableInfo>): Promise<void> {
  const rows = await session.rows(
    `SELECT TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
     WHERE TABLE_SCHEMA = DATABASE() AND NON_UNIQUE = 0 ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
  );
  const indexes = new Map<string, { table: string; name: string; columns: (string | null)[] }>();
  for (const [table, index, column] of rows) {
    const key = `${str(table)}\0${str(index)}`;
    if (!indexes.has(key)) indexes.set(key, { table: str(table), name: str(index), columns: [] });
    indexes.get(key)!.columns.push(column === null ? null : str(column));
  }
  for (const { table, name, columns } of indexes.values()) {
    const info = tables.get(table);
    // A functional key part (MySQL 8) has no column: such an index constrains no column as such.
    if (!info || columns.includes(null)) continue;
    if (name === 'PRIMARY') info.primaryKey = columns as string[];
    else info.uniqueKeys.push(columns as string[]);
  }
}
