import type { ColumnInfo, DatabaseSchema, ForeignKey, TableInfo } from '../schema.ts';
import { stagingNames } from '../staging.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { quoteLiteral } from './postgres-sql.ts';
import { pgTypeInfo } from './postgres-types.ts';

/** Schemas that hold no user tables: the system's and masque's staging schema. */
const notUserSchema =
  `n.nspname IN ('pg_catalog', 'information_schema', ${quoteLiteral(stagingNames.schema)})` +
  ` OR n.nspname LIKE 'pg\\_%'`;

const userRelations = `
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND NOT (${notUserSchema})`;

const tablesSql = `
  SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS table, c.relkind = 'p' AS partitioned,
         CASE WHEN c.relispartition THEN (SELECT rn.nspname || '.' || r.relname FROM pg_class r
           JOIN pg_namespace rn ON rn.oid = r.relnamespace WHERE r.oid = pg_partition_root(c.oid)) END AS partition_of,
         greatest(c.reltuples, 0)::float8 AS estimated_rows
  ${userRelations}
  ORDER BY n.nspname, c.relname`;

// Domains are resolved to their base type; lengths and precision come from the typmod.
const columnsSql = `
  SELECT a.attrelid::int AS oid, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS data_type,
         NOT a.attnotnull AS nullable, pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
         a.attgenerated <> '' AS generated, a.attidentity <> '' AS identity_column,
         bt.typname AS base_type, bt.typtype AS base_kind, bt.typcategory AS base_category, bt.oid::int AS base_oid,
         CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod
  FROM pg_attribute a
  JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_type t ON t.oid = a.atttypid
  JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
  LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
  WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT (${notUserSchema})
  ORDER BY a.attrelid, a.attnum`;

// Keys keep their column order (WITH ORDINALITY); unique indexes count as unique keys too.
const keysSql = `
  SELECT con.conrelid::int AS oid, con.conname AS name, con.contype AS kind,
         array_agg(a.attname::text ORDER BY k.ord) AS columns,
         con.confrelid::int AS ref_oid,
         (SELECT array_agg(ra.attname::text ORDER BY rk.ord) FROM unnest(con.confkey) WITH ORDINALITY rk(attnum, ord)
            JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = rk.attnum) AS ref_columns
  FROM pg_constraint con
  CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY k(attnum, ord)
  JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
  WHERE con.contype IN ('p', 'u', 'f') AND con.conrelid <> 0
  GROUP BY con.oid
  UNION ALL
  SELECT i.indrelid::int, ic.relname, 'i', array_agg(a.attname::text ORDER BY k.ord), 0, NULL
  FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
  CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord)
  JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
  WHERE i.indisunique AND NOT i.indisprimary AND i.indpred IS NULL AND 0 <> ALL (i.indkey)
    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
  GROUP BY i.indexrelid, ic.relname, i.indrelid`;

const enumsSql = `SELECT enumtypid::int AS oid, array_agg(enumlabel::text ORDER BY enumsortorder) AS labels
  FROM pg_enum GROUP BY enumtypid`;

interface ColumnRow {
  oid: number;
  name: string;
  data_type: string;
  nullable: boolean;
  default_expr: string | null;
  generated: boolean;
  identity_column: boolean;
  base_type: string;
  base_kind: string;
  base_category: string;
  base_oid: number;
  typmod: number;
}

interface TableRow {
  oid: number;
  schema: string;
  table: string;
  partitioned: boolean;
  partition_of: string | null;
  estimated_rows: number;
}

/** A primary key, unique constraint or unique index; or a foreign key, with what it references. */
type KeyRow = { oid: number; name: string; columns: string[] } & (
  | { kind: 'p' }
  | { kind: 'u' }
  | { kind: 'i' }
  | { kind: 'f'; ref_oid: number; ref_columns: string[] }
);

function toColumn(row: ColumnRow, enums: Map<number, string[]>): ColumnInfo {
  const { category, ...size } = pgTypeInfo({
    name: row.base_type,
    kind: row.base_kind,
    category: row.base_category,
    typmod: row.typmod,
  });
  const column: ColumnInfo = {
    name: row.name,
    dataType: row.data_type,
    category,
    nullable: row.nullable,
    generated: row.generated,
    identity: row.identity_column || /^nextval\(/.test(row.default_expr ?? ''),
  };
  if (row.default_expr !== null) column.defaultExpr = row.default_expr;
  Object.assign(column, size);
  if (category === 'enum') column.enumValues = enums.get(row.base_oid) ?? [];
  return column;
}

/** Reads tables, partitions, columns and keys of every user schema (not masque's staging schema) from the catalogue. */
export async function introspectPostgres(db: PgQueryable): Promise<DatabaseSchema> {
  // One connection runs one query at a time: ask in sequence.
  const tables = await db.query<TableRow>(tablesSql);
  const columns = await db.query<ColumnRow>(columnsSql);
  const keys = await db.query<KeyRow>(keysSql);
  const enums = await db.query<{ oid: number; labels: string[] }>(enumsSql);
  const enumLabels = new Map<number, string[]>(enums.rows.map((r) => [r.oid, r.labels]));
  const byOid = new Map<number, TableInfo>();
  for (const r of tables.rows) {
    const table: TableInfo = {
      name: `${r.schema}.${r.table}`,
      schema: r.schema,
      table: r.table,
      columns: [],
      primaryKey: [],
      uniqueKeys: [],
      foreignKeys: [],
      estimatedRows: Number(r.estimated_rows),
    };
    if (r.partitioned) table.partitioned = true;
    if (r.partition_of) table.partitionOf = r.partition_of;
    byOid.set(r.oid, table);
  }
  for (const r of columns.rows) byOid.get(r.oid)?.columns.push(toColumn(r, enumLabels));
  for (const r of keys.rows) {
    const table = byOid.get(r.oid);
    if (!table) continue;
    if (r.kind === 'p') table.primaryKey = r.columns;
    else if (r.kind === 'u' || r.kind === 'i') table.uniqueKeys.push(r.columns);
    else {
      const parent = byOid.get(r.ref_oid);
      if (!parent) continue;
      const fk: ForeignKey = {
        name: r.name,
        table: table.name,
        columns: r.columns,
        referencedTable: parent.name,
        referencedColumns: r.ref_columns,
      };
      table.foreignKeys.push(fk);
    }
  }
  return { tables: [...byOid.values()] };
}
