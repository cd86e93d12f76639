/**
 * The staging area of a staged load in the target: the schema `masque_shadow`, one UNLOGGED
 * table per loaded table (the written columns only: no indexes, constraints or triggers, so the
 * load is fast and writes no WAL), and `masque_shadow.progress`, one row per finished table.
 * A table written in parts (key ranges) gets one child table per part, inheriting from its
 * shadow: each part moves into the target by reading its own child, where a key-range filter
 * on the shared shadow would scan every part staged so far, and the shadow still reads as the whole.
 * The progress table is UNLOGGED too: a server crash empties unlogged tables, and it must then
 * forget the tables it lists, rather than claim rows that are gone.
 */
import { createHash } from 'node:crypto';
import type { TableInfo } from '../schema.ts';
import {
  progressTableSql,
  progressValues,
  readProgressSql,
  recordDoneSql,
  stagedTableOf,
  stagingNames,
  type StagedTableColumns,
} from '../staging.ts';
import type { PgQueryable } from './postgres-driver.ts';
import { quoteIdentifier, quoteLiteral, quoteTable } from './postgres-sql.ts';

export const shadowSchema = stagingNames.schema;

/** Inside masque's own schema the progress table needs no prefix; `progress` is the name earlier releases gave it. */
const progressName = 'progress';
const progress = `${shadowSchema}.${progressName}`;

/** The shadow's name in the staging schema: the table's qualified name (`#k` for part k), hashed when too long. */
function shadowName(table: TableInfo, part?: number): string {
  const name = part === undefined ? table.name : `${table.name}#${part}`;
  return Buffer.byteLength(name) <= 63 ? name : `t_${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

/** The shadow of a table, or of one part of it, quoted: `masque_shadow."public.customer"`. */
export function shadowOf(table: TableInfo, part?: number): string {
  return `${shadowSchema}.${quoteIdentifier(shadowName(table, part))}`;
}

/**
 * The tables a run finished, as recorded; none when there is no staging area, or when an older
 * release left it (its progress table lacks the column list): it is then dropped and made anew.
 */
export async function readProgress(db: PgQueryable): Promise<StagedTableColumns[]> {
  const { rows } = await db.query<{ current: boolean }>(
    `SELECT count(*) = 2 AS current FROM pg_attribute WHERE attrelid = to_regclass(${quoteLiteral(progress)})
       AND attname IN ('row_count', 'column_list') AND NOT attisdropped`,
  );
  if (!rows[0]!.current) return [];
  const done = await db.query(readProgressSql(progress));
  return done.rows.map((row) => stagedTableOf(Object.values(row)));
}

/** Drops everything in the staging area but the shadows of `keep` and their progress rows. */
export async function resetStaging(db: PgQueryable, keep: TableInfo[]): Promise<void> {
  if (keep.length === 0) {
    await db.query(`DROP SCHEMA IF EXISTS ${shadowSchema} CASCADE`);
    await db.query(`CREATE SCHEMA ${shadowSchema}`);
    const types = { text: 'text', key: 'text', bigint: 'bigint', timestamp: 'timestamptz' };
    await db.query(progressTableSql(progress, types, '', 'UNLOGGED'));
    return;
  }
  const kept = new Set([progressName, ...keep.map((t) => shadowName(t))]);
  // Parts go with their shadow: kept with it, or dropped by its CASCADE.
  const { rows } = await db.query<{ relname: string }>(
    `SELECT relname FROM pg_class c WHERE relnamespace = $1::regnamespace AND relkind IN ('r', 'p')
       AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = c.oid)`,
    [shadowSchema],
  );
  for (const { relname } of rows) {
    if (!kept.has(relname)) await db.query(`DROP TABLE ${shadowSchema}.${quoteIdentifier(relname)} CASCADE`);
  }
  await db.query(`DELETE FROM ${progress} WHERE NOT (table_name = ANY($1))`, [keep.map((t) => t.name)]);
}

/** Replaces the shadow of `table` by an empty one with `columns`, typed as in the table. */
export async function createShadow(db: PgQueryable, table: TableInfo, columns: string[]): Promise<string> {
  const shadow = shadowOf(table);
  await db.query(`DROP TABLE IF EXISTS ${shadow} CASCADE`);
  await db.query(
    `CREATE UNLOGGED TABLE ${shadow} AS SELECT ${columns.map(quoteIdentifier).join(', ')} ` +
      `FROM ${quoteTable(table)} WITH NO DATA`,
  );
  return shadow;
}

/**
 * A fresh shadow of `table` with an empty child for each of its `count` parts; resolves to the
 * children's names. Created up front, outside the parts' transactions: adding a child locks the
 * shadow against adding another until commit, which would make parallel parts wait for each other.
 */
export async function createPartShadows(
  db: PgQueryable,
  table: TableInfo,
  columns: string[],
  count: number,
): Promise<string[]> {
  const shadow = await createShadow(db, table, columns);
  const parts = Array.from({ length: count }, (_, part) => shadowOf(table, part));
  for (const part of parts) await db.query(`CREATE UNLOGGED TABLE ${part} () INHERITS (${shadow})`);
  return parts;
}

/** Records `table` as finished, in the transaction that filled its shadow. */
export async function recordDone(db: PgQueryable, done: StagedTableColumns): Promise<void> {
  await db.query(`DELETE FROM ${progress} WHERE table_name = $1`, [done.table]);
  await db.query(
    recordDoneSql(progress, (i) => `$${i}`, 'clock_timestamp()'),
    progressValues(done),
  );
}

/** The columns of the shadow of `table`, in order; undefined when it has none. */
export async function shadowColumns(db: PgQueryable, table: TableInfo): Promise<string[] | undefined> {
  const { rows } = await db.query<{ columns: string[] | null }>(
    `SELECT array_agg(attname::text ORDER BY attnum) AS columns FROM pg_attribute
     WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped`,
    [shadowOf(table)],
  );
  return rows[0]?.columns ?? undefined;
}
