/**
 * What a masked database should still look like, asked of each engine with its own tools (psql,
 * the mariadb client, better-sqlite3): its tables' columns and keys, their rows as text, and the
 * shape checks that compare a masked value with its source value.
 */
import { psql } from './databases.ts';
import type { EngineDb } from './engines.ts';

/** A column as the engine's catalogue describes it. */
export interface CatalogColumn {
  table: string;
  column: string;
  kind: 'date' | 'text' | 'other';
  /** Characters a text column holds at most. */
  maxLength?: number;
}

/** A database the checks can read: rows as text (NULL as null) and its catalogue. */
export interface RealismDb {
  name: string;
  url: string;
  query(sql: string): (string | null)[][];
  columns(): CatalogColumn[];
  /** Single-column primary keys, by table. */
  primaryKeys(): Map<string, string>;
  quote(identifier: string): string;
  drop(): Promise<void>;
}

const DATE_TYPES = /^(date|datetime|timestamp)\b/i;
const TEXT_TYPES = /char|text|clob/i;

function kindOf(type: string): CatalogColumn['kind'] {
  return DATE_TYPES.test(type) ? 'date' : TEXT_TYPES.test(type) ? 'text' : 'other';
}

function catalogColumn(table: string, column: string, type: string, length: string | null): CatalogColumn {
  const kind = kindOf(type);
  const maxLength = Number(length ?? /\((\d+)\)/.exec(type)?.[1] ?? Number.NaN);
  return { table, column, kind, ...(kind === 'text' && maxLength > 0 && { maxLength }) };
}

/** PostgreSQL through psql: each row as JSON (`json`, which keeps the columns in order), so any text comes back whole. */
export function postgresDb(db: { name: string; url: string; drop(): Promise<void> }): RealismDb {
  const query = (sql: string): (string | null)[][] => {
    const out = psql(db.name, ['-c', `SELECT coalesce(json_agg(q), '[]') FROM (${sql}) q`]);
    const rows = JSON.parse(out) as Record<string, unknown>[];
    return rows.map((row) => Object.values(row).map((v) => (v === null ? null : String(v))));
  };
  return {
    ...db,
    query,
    quote: (id) => `"${id}"`,
    columns: () =>
      query(`SELECT c.table_name, c.column_name, c.data_type, c.character_maximum_length::text
        FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`).map(([t, c, type, length]) =>
        catalogColumn(t!, c!, type!, length ?? null),
      ),
    primaryKeys: () =>
      singleKeys(
        query(`SELECT tc.table_name, k.column_name FROM information_schema.table_constraints tc
          JOIN information_schema.key_column_usage k USING (constraint_schema, constraint_name, table_name)
          WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'`),
      ),
  };
}

/** MariaDB or SQLite, through the engine helpers of engines.ts. */
export function engineDb(name: string, db: EngineDb, engine: 'mysql' | 'sqlite'): RealismDb {
  const mysql = engine === 'mysql';
  return {
    name,
    url: db.url,
    drop: db.drop,
    query: (sql) => db.query(sql),
    quote: mysql ? (id) => `\`${id}\`` : (id) => `"${id}"`,
    columns: () =>
      (mysql
        ? db.query(`SELECT c.TABLE_NAME, c.COLUMN_NAME, c.DATA_TYPE, c.CHARACTER_MAXIMUM_LENGTH
            FROM information_schema.COLUMNS c JOIN information_schema.TABLES t USING (TABLE_SCHEMA, TABLE_NAME)
            WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'`)
        : db.query(`SELECT m.name, p.name, p.type, NULL FROM sqlite_schema m, pragma_table_info(m.name) p
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
      ).map(([t, c, type, length]) => catalogColumn(t!, c!, type!, length ?? null)),
    primaryKeys: () =>
      singleKeys(
        mysql
          ? db.query(`SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE
              WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY'`)
          : db.query(`SELECT m.name, p.name FROM sqlite_schema m, pragma_table_info(m.name) p
              WHERE m.type = 'table' AND p.pk > 0`),
      ),
  };
}

/** Tables whose primary key is one column, with that column. */
function singleKeys(rows: (string | null)[][]): Map<string, string> {
  const keys = new Map<string, string[]>();
  for (const [table, column] of rows) keys.set(table!, [...(keys.get(table!) ?? []), column!]);
  return new Map([...keys].filter(([, columns]) => columns.length === 1).map(([t, [c]]) => [t, c!]));
}

// ---------------------------------------------------------------- shape

/** Letters that have a case, as the checks count them. */
const cased = (text: string): string[] => [...text].filter((ch) => ch.toUpperCase() !== ch.toLowerCase());

export const isBlank = (text: string): boolean => text.trim() === '';

/** No letter with case: such a value (`95814`, `漢字`) has no case to keep. */
export const caseless = (text: string): boolean => cased(text).length === 0;

/** Two or more letters with case, none of them lower case: `MARY`, `USA`, `QLD`. */
export function isUpperCase(text: string): boolean {
  const letters = cased(text);
  return letters.length >= 2 && letters.every((ch) => ch === ch.toUpperCase());
}

/** Letters with case, none of them upper case: `mary`, `luisg@embraer.com.br`. */
export function isLowerCase(text: string): boolean {
  const letters = cased(text);
  return letters.length >= 1 && letters.every((ch) => ch === ch.toLowerCase());
}

/**
 * Written with capitals, not all upper case: the first word that starts with a letter with case
 * starts upper case (`Mary`, `São Paulo`, `194A Chain Lake Drive`, `38557 13th Street`). Words are
 * runs of letters and digits.
 */
export function startsCapitalised(text: string): boolean {
  const first = text.split(/[^\p{L}\p{N}\p{M}]+/u).find((word) => cased(word.slice(0, 1)).length === 1);
  return first !== undefined && first[0] === first[0]!.toUpperCase() && !isUpperCase(text) && !isLowerCase(text);
}

/** Digits as 9, ASCII letters as A or a, everything else as it is: `WA1 1DP` → `AA9 9AA`. */
export const layout = (text: string): string =>
  text.replace(/[0-9]/g, '9').replace(/[A-Z]/g, 'A').replace(/[a-z]/g, 'a');

/** A letter, digit or combining mark: what words are made of. */
const WORD = /[\p{L}\p{N}\p{M}]/u;

/**
 * True when `written` was cut inside a word out of `whole`: it is a strict prefix of it, and the
 * characters on both sides of the cut are letters or digits (`Fort Daltonvill` of `Fort
 * Daltonville`). A cut after a whole word (`North Little` of `North Little Rock`) is not one.
 */
export function cutMidWord(written: string, whole: string): boolean {
  const a = [...written];
  const b = [...whole];
  if (a.length === 0 || a.length >= b.length || !whole.startsWith(written)) return false;
  return WORD.test(a.at(-1)!) && WORD.test(b[a.length]!);
}

/** Characters (code points), as a column's length counts them. */
export const charLength = (text: string): number => [...text].length;
