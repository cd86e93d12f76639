import type { ColumnInfo, TypeCategory } from '../schema.ts';

const categories: Record<string, TypeCategory> = {
  char: 'text',
  varchar: 'text',
  tinytext: 'text',
  text: 'text',
  mediumtext: 'text',
  longtext: 'text',
  tinyint: 'integer',
  smallint: 'integer',
  mediumint: 'integer',
  int: 'integer',
  integer: 'integer',
  bigint: 'integer',
  year: 'integer',
  decimal: 'decimal',
  numeric: 'decimal',
  float: 'float',
  double: 'float',
  real: 'float',
  date: 'date',
  datetime: 'timestamp',
  timestamp: 'timestamp',
  time: 'time',
  binary: 'binary',
  varbinary: 'binary',
  tinyblob: 'binary',
  blob: 'binary',
  mediumblob: 'binary',
  longblob: 'binary',
  bit: 'binary',
  json: 'json',
  enum: 'enum',
  uuid: 'uuid',
};

/** Types whose values mysql2 hands over as raw bytes (besides the `binary` category). */
const rawTypes = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
  'vector',
]);

/**
 * The category of a column from information_schema's DATA_TYPE and COLUMN_TYPE. `tinyint(1)` is
 * MySQL's BOOLEAN; MariaDB's JSON is a LONGTEXT with a `json_valid` check, hence `isJson`.
 */
export function categoryOf(dataType: string, columnType: string, isJson = false): TypeCategory {
  if (isJson) return 'json';
  if (/^tinyint\(1\)/i.test(columnType)) return 'boolean';
  return categories[dataType.toLowerCase()] ?? 'other';
}

/** Spatial and vector columns: mysql2 must be told to hand over their bytes. */
export function isRawType(column: ColumnInfo): boolean {
  return rawTypes.has(column.dataType.toLowerCase().replace(/\(.*$/, ''));
}

/** Binary values travel as hex through LOAD DATA (`SET col = UNHEX(@v)`), so no byte is reinterpreted. */
export function loadsAsHex(column: ColumnInfo | undefined): boolean {
  if (!column) return false;
  return column.category === 'binary' || isRawType(column);
}

/**
 * The members of `enum('a','b''c','d\\e')` as written in COLUMN_TYPE: quotes are doubled and
 * backslashes escaped by the server, so `'` and `\` can appear inside a member.
 */
export function parseEnumValues(columnType: string): string[] | undefined {
  const body = /^enum\((.*)\)$/is.exec(columnType.trim())?.[1];
  if (body === undefined) return undefined;
  const values: string[] = [];
  const member = /'((?:[^'\\]|''|\\.)*)'/gs;
  for (const match of body.matchAll(member)) {
    values.push(match[1]!.replace(/''|\\(.)/gs, (_, char?: string) => (char === undefined ? "'" : unescapeChar(char))));
  }
  return values;
}

function unescapeChar(char: string): string {
  return ({ n: '\n', t: '\t', r: '\r', '0': '\0' } as Record<string, string>)[char] ?? char;
}
