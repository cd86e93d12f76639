import type { ColumnInfo } from '../schema.ts';

/** What a declared SQLite column type says about its values. */
export type SqliteTypeInfo = Pick<ColumnInfo, 'category' | 'maxLength' | 'precision' | 'scale'>;

/**
 * Maps a declared type (`NVARCHAR(40)`, `NUMERIC(10,2)`, `DATETIME`, or nothing) to a category.
 *
 * SQLite decides a column's affinity by substrings of the declared name (INT, then CHAR/CLOB/TEXT,
 * then BLOB, then REAL/FLOA/DOUB, else NUMERIC), and this follows the same order so the category
 * agrees with what SQLite stores. Names that only mean something to the application (dates,
 * booleans, JSON, UUID) are recognised first, since transformers care about them. SQLite enforces
 * no length, but masque's output must still fit the declared one: applications rely on it.
 */
export function sqliteTypeInfo(declared: string): SqliteTypeInfo {
  const upper = declared.trim().toUpperCase();
  const name = upper.replace(/\(.*$/s, '').trim();
  const args = /\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)/.exec(upper);
  const first = args?.[1] === undefined ? undefined : Number(args[1]);
  const second = args?.[2] === undefined ? undefined : Number(args[2]);

  if (name === '') return { category: 'other' };
  if (/^BOOL(EAN)?$/.test(name)) return { category: 'boolean' };
  if (/^(DATETIME|TIMESTAMP)/.test(name)) return { category: 'timestamp' };
  if (name === 'DATE') return { category: 'date' };
  if (/^TIME\b/.test(name)) return { category: 'time' };
  if (/^JSONB?$/.test(name)) return { category: 'json' };
  if (name === 'UUID') return { category: 'uuid' };

  if (name.includes('INT')) return { category: 'integer' };
  if (/CHAR|CLOB|TEXT/.test(name)) {
    return first === undefined ? { category: 'text' } : { category: 'text', maxLength: first };
  }
  if (name.includes('BLOB')) return { category: 'binary' };
  if (/REAL|FLOA|DOUB/.test(name)) return { category: 'float' };
  if (/NUMERIC|DECIMAL/.test(name)) {
    // DECIMAL(p) means scale 0 in SQL; a bare DECIMAL has neither.
    return first === undefined
      ? { category: 'decimal' }
      : { category: 'decimal', precision: first, scale: second ?? 0 };
  }
  return { category: 'other' };
}
