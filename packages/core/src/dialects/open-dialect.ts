import type { DatabaseSide } from '../errors.ts';
import type { Dialect, DialectOptions } from './dialect.ts';
import { engineOf } from './database-url.ts';

// Loaded on demand, so a PostgreSQL run never loads mysql2 or the SQLite addon.
const factories: Record<Dialect['engine'], (url: string, options: DialectOptions) => Promise<Dialect>> = {
  postgres: async (url, options) =>
    (await import('./postgres/postgres-dialect.ts')).createPostgresDialect(url, options),
  mysql: async (url, options) => (await import('./mysql/mysql-dialect.ts')).createMysqlDialect(url, options),
  sqlite: async (url, options) => (await import('./sqlite/sqlite-dialect.ts')).createSqliteDialect(url, options),
};

/**
 * Connects to the database a URL names; `side` names it in the message of a lost connection,
 * `options` are the rest of DialectOptions (the lock timeout).
 */
export function openDialect(
  url: string,
  side?: DatabaseSide,
  options: Omit<DialectOptions, 'side'> = {},
): Promise<Dialect> {
  return factories[engineOf(url)](url, { ...options, side });
}
