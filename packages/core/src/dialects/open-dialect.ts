import type { Dialect } from './dialect.ts';
import { engineOf } from './database-url.ts';

// Loaded on demand, so a PostgreSQL run never loads mysql2 or the SQLite addon.
const factories: Record<Dialect['engine'], (url: string) => Promise<Dialect>> = {
  postgres: async (url) => (await import('./postgres/postgres-dialect.ts')).createPostgresDialect(url),
  mysql: async (url) => (await import('./mysql/mysql-dialect.ts')).createMysqlDialect(url),
  sqlite: async (url) => (await import('./sqlite/sqlite-dialect.ts')).createSqliteDialect(url),
};

/** Connects to the database a URL names. */
export function openDialect(url: string): Promise<Dialect> {
  return factories[engineOf(url)](url);
}
