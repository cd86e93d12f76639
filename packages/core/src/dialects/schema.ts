/** What introspection tells about a database, in the same shape for every engine. */

/** Broad families of column types, for transformers that care (noise wants numbers, dateShift dates). */
export type TypeCategory =
  | 'text'
  | 'integer'
  | 'decimal'
  | 'float'
  | 'boolean'
  | 'date'
  | 'timestamp'
  | 'time'
  | 'binary'
  | 'json'
  | 'uuid'
  | 'enum'
  | 'array'
  | 'other';

export interface ColumnInfo {
  name: string;
  /** The engine's own type name, e.g. `character varying(45)`, `varchar(20)`, `NVARCHAR(40)`. */
  dataType: string;
  category: TypeCategory;
  /** Maximum length in characters for text types, undefined when unbounded. */
  maxLength?: number;
  /** Numeric precision and scale, when the type has them. */
  precision?: number;
  scale?: number;
  /** Members of an enum type, in order. */
  enumValues?: string[];
  nullable: boolean;
  /** The column's default expression as the engine prints it. */
  defaultExpr?: string;
  /** Computed by the database: never written. */
  generated: boolean;
  /** An identity, serial or auto-increment column: its counter is moved past the copied maximum. */
  identity: boolean;
}

export interface ForeignKey {
  name: string;
  /** Table that holds the key (qualified name). */
  table: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
}

export interface TableInfo {
  /** Qualified name as the rules name it: `schema.table` on PostgreSQL, `table` elsewhere. */
  name: string;
  schema?: string;
  /** Bare table name. */
  table: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  /** Unique constraints and unique indexes, each a list of columns. */
  uniqueKeys: string[][];
  foreignKeys: ForeignKey[];
  /** Set on a partition: the qualified name of its partitioned parent. Rows are copied through the parent. */
  partitionOf?: string;
  /** True on a partitioned parent table (it holds no rows itself). */
  partitioned?: boolean;
  /** The engine's row estimate, for progress. */
  estimatedRows?: number;
}

export interface DatabaseSchema {
  tables: TableInfo[];
}

export function findTable(schema: DatabaseSchema, name: string): TableInfo | undefined {
  return schema.tables.find((t) => t.name === name);
}
