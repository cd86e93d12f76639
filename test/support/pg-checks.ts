/** Independent checks of a PostgreSQL database, written with psql so they share no code with masque. */
import { psql } from './databases.ts';

/** Every table and partition with its row count. */
export function pgRowCounts(db: string): Record<string, number> {
  const out = psql(db, [
    '-c',
    `
    SELECT format('%I.%I', n.nspname, c.relname), (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname = 'public' ORDER BY 1`,
  ]);
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((line) => {
        const [table, n] = line.split('|');
        return [table!, Number(n)];
      }),
  );
}

/** md5 over the ordered text of the given columns of a table (rows ordered by that text). */
export function pgColumnsMd5(db: string, table: string, columns: string[]): string {
  const list = columns.map((c) => `"${c}"`).join(', ');
  return psql(db, [
    '-c',
    `SELECT md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) FROM (SELECT (${list})::text AS r FROM ${table}) s`,
  ]).trim();
}

/** Values of one column ordered by the table's key columns. */
export function pgColumn(db: string, table: string, column: string, orderBy: string): (string | null)[] {
  const out = psql(db, ['-c', `SELECT coalesce(to_json("${column}")::text, 'NULL') FROM ${table} ORDER BY ${orderBy}`]);
  return out
    .trim()
    .split('\n')
    .map((v) => (v === 'NULL' ? null : JSON.parse(v)));
}

/** Rows that break a foreign key, per constraint, found with a generic anti-join built from the catalogue. */
export function pgBrokenForeignKeys(db: string): string[] {
  const checks = psql(db, [
    '-c',
    `
    SELECT format('SELECT %L || '':'' || count(*) FROM %s c WHERE %s AND NOT EXISTS (SELECT 1 FROM %s p WHERE %s)',
      con.conname, con.conrelid::regclass,
      (SELECT string_agg(format('c.%I IS NOT NULL', a.attname), ' AND ') FROM unnest(con.conkey) k JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k),
      con.confrelid::regclass,
      (SELECT string_agg(format('p.%I = c.%I', pa.attname, ca.attname), ' AND ')
         FROM unnest(con.conkey, con.confkey) AS k(c, p)
         JOIN pg_attribute ca ON ca.attrelid = con.conrelid AND ca.attnum = k.c
         JOIN pg_attribute pa ON pa.attrelid = con.confrelid AND pa.attnum = k.p))
    FROM pg_constraint con WHERE con.contype = 'f'`,
  ])
    .trim()
    .split('\n')
    .filter(Boolean);
  const results = psql(db, [], checks.map((q) => `${q};`).join('\n'))
    .trim()
    .split('\n');
  return results.filter((r) => !r.endsWith(':0'));
}
