/**
 * An SQL identifier between `quote` characters, each quote inside the name doubled:
 * `"a""b"` (PostgreSQL, SQLite), `` `a``b` `` (MariaDB/MySQL). Each dialect's `-sql.ts` binds its
 * own quote character and exports it as `quoteIdentifier`.
 */
export function quoteWith(quote: '"' | '`', name: string): string {
  return quote + name.replaceAll(quote, quote + quote) + quote;
}
