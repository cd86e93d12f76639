import type { DatabaseSide } from '../errors.ts';
import type { Dialect } from './dialect.ts';
import { engineOf } from './database-url.ts';

// Loaded on demand, so a PostgreSQL run never loads mysql2 or the SQLite addon.
const factories: Record<Dialect['engine'], (url: string, side?: DatabaseSide) => Promise<Dialect>> = {
  postgres: async (url, side) => (await import('./postgres/postgres-dialect.ts')).createPostgresDialect(url, { side }),
  mysql: async (url, side) => (await import('./mysql/mysql-dialect.ts')).createMysqlDialect(url, { side }),
  sqlite: async (url, side) => (await import('./sqlite/sqlite-dialect.ts')).createSqliteDialect(url, { side }),
};

/** Connects to the database a URL names; `side` names it in the message of a lost connection. */
export function openDialect(url: string, side?: DatabaseSide): Promise<Dialect> {
  return factories[engineOf(url)](url, side);
}
