import type { ColumnInfo, TypeCategory } from '../schema.ts';

/** A column's type as the catalogue gives it: the base type (a domain's, for a domain) and its typmod. */
export interface PgColumnType {
  /** `pg_type.typname` of the base type. */
  name: string;
  /** `pg_type.typtype`: `e` for an enum. */
  kind: string;
  /** `pg_type.typcategory`: `A` for an array. */
  category: string;
  /** The declared length or precision, packed (`atttypmod`, or the domain's `typtypmod`). */
  typmod: number;
}

/** What a PostgreSQL column type says about its values. */
export type PgTypeInfo = Pick<ColumnInfo, 'category' | 'maxLength' | 'precision' | 'scale'>;

const categories: Record<string, TypeCategory> = {
  int2: 'integer',
  int4: 'integer',
  int8: 'integer',
  numeric: 'decimal',
  float4: 'float',
  float8: 'float',
  money: 'decimal',
  bool: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  timestamptz: 'timestamp',
  time: 'time',
  timetz: 'time',
  bytea: 'binary',
  json: 'json',
  jsonb: 'json',
  uuid: 'uuid',
  text: 'text',
  varchar: 'text',
  bpchar: 'text',
  name: 'text',
  citext: 'text',
};

/**
 * The category of a type, and the length or precision its typmod declares: `varchar(n)` and
 * `char(n)` store n + 4, `numeric(p, s)` stores ((p << 16) | s) + 4; -1 declares none.
 */
export function pgTypeInfo(type: PgColumnType): PgTypeInfo {
  const category: TypeCategory =
    type.kind === 'e' ? 'enum' : type.category === 'A' ? 'array' : (categories[type.name] ?? 'other');
  const info: PgTypeInfo = { category };
  if (['varchar', 'bpchar'].includes(type.name) && type.typmod > 4) info.maxLength = type.typmod - 4;
  if (type.name === 'numeric' && type.typmod > 4) {
    info.precision = ((type.typmod - 4) >> 16) & 0xffff;
    info.scale = (type.typmod - 4) & 0xffff;
  }
  return info;
}
