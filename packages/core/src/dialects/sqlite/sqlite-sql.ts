import { quoteWith } from '../quote.ts';

/** A quoted identifier; Chinook's names need it as much as any name with spaces or quotes. */
export const quoteIdentifier = (name: string): string => quoteWith('"', name);

/** A condition on a `name` column (of `sqlite_schema` or a pragma) that leaves out SQLite's own `sqlite_%` tables. */
export const notInternal = `name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`;
