import type pg from 'pg';
import type { KeyLookup, ReadRequest, Value } from '../dialect.ts';
import { statementError } from '../driver-error.ts';
import type { TableInfo } from '../schema.ts';
import { quoteIdentifier, quoteTable } from './postgres-sql.ts';

/**
 * A subset's lookup by key as the ReadRequest the reader copies out: the keys go into the query
 * as one array constant per column, so the rows still come through `COPY … TO STDOUT` in the
 * snapshot, in the text format every other read gives. One column: `k = ANY('{…}'::type[])`, an
 * index scan over the array; several: `(a, b) IN (SELECT * FROM unnest(…))`, which the planner
 * joins to the index (it knows a constant array's length), never by scanning the table.
 */
export function postgresLookupRequest(lookup: KeyLookup): ReadRequest {
  const { keyColumns, keys, where, ...read } = lookup;
  const arrays = keyColumns.map(
    (name, i) => `${arrayConstant(keys.map((key) => key[i]!))}::${arrayType(lookup, name)}`,
  );
  const condition =
    keyColumns.length === 1
      ? `${quoteIdentifier(keyColumns[0]!)} = ANY(${arrays[0]})`
      : `(${keyColumns.map(quoteIdentifier).join(', ')}) IN (SELECT * FROM unnest(${arrays.join(', ')}))`;
  return { ...read, where: where ? `${condition} AND (${where})` : condition };
}

/** The key column's own type, so that the comparison is the one its index serves. */
function arrayType(lookup: KeyLookup, name: string): string {
  const column = lookup.table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`${lookup.table.name} has no column ${name}`);
  return `${column.dataType}[]`;
}

/**
 * An array literal of text elements (each double-quoted, `\` and `"` escaped) inside an `E'…'`
 * string, which reads the same whatever `standard_conforming_strings` says.
 */
function arrayConstant(values: Value[]): string {
  const element = (value: Value): string => `"${String(value).replace(/[\\"]/g, '\\$&')}"`;
  const literal = `{${values.map(element).join(',')}}`;
  return `E'${literal.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/** `count(*)` of a table in the reader's snapshot. */
export async function countPostgresRows(client: pg.Client, table: TableInfo): Promise<number> {
  const { rows } = await client
    .query(`SELECT count(*)::text AS n FROM ${quoteTable(table)}`)
    .catch((error: unknown) => {
      throw statementError(`counting the rows of ${table.name}`, error);
    });
  return Number(rows[0].n);
}
