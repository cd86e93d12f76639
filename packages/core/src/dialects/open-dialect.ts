import { ConfigError } from '../errors.ts';
import type { Dialect } from './dialect.ts';
import { redactUrl } from './redact-url.ts';

// Loaded on demand, so a PostgreSQL run never loads mysql2 or the SQLite addon.
const createPostgresDialect = async (url: string) => (await import('./postgres/postgres-dialect.ts')).createPostgresDialect(url);
const createMysqlDialect = async (url: string) => (await import('./mysql/mysql-dialect.ts')).createMysqlDialect(url);
const createSqliteDialect = async (url: string) => (await import('./sqlite/sqlite-dialect.ts')).createSqliteDialect(url);

const factories: Record<string, (url: string) => Promise<Dialect>> = {
  postgres: createPostgresDialect,
  postgresql: createPostgresDialect,
  mysql: createMysqlDialect,
  mariadb: createMysqlDialect,
  sqlite: createSqliteDialect,
};

/** The engine a URL names (`postgres`, `mysql`, `sqlite`), from its scheme. */
export function engineOf(url: string): Dialect['engine'] {
  const scheme = /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase() ?? '';
  if (!(scheme in factories)) {
    throw new ConfigError(`unsupported database URL ${redactUrl(url)}: expected postgres://, mysql://, mariadb:// or sqlite:`);
  }
  return scheme.startsWith('postgres') ? 'postgres' : scheme === 'sqlite' ? 'sqlite' : 'mysql';
}

/** Connects to the database a URL names. */
export function openDialect(url: string): Promise<Dialect> {
  engineOf(url);
  const scheme = /^([a-z]+):/i.exec(url)![1]!.toLowerCase();
  return factories[scheme]!(url);
}
