import { ConfigError } from '../errors.ts';
import type { Dialect } from './dialect.ts';

/**
 * What masque reads from a database URL before any driver is loaded: its engine, its SQLite
 * path, and its text without the password, for messages, logs and `protect:` patterns. The
 * drivers parse the rest themselves.
 */

const engines: Record<string, Dialect['engine']> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  mysql: 'mysql',
  mariadb: 'mysql',
  sqlite: 'sqlite',
};

const password = /^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i;

/** A database URL fit for messages and logs: the password replaced by `***`. */
export function redactUrl(url: string): string {
  return url.replace(password, '$1:***@');
}

/** The URL without its password at all: the form `protect:` patterns are written against. */
export function stripPassword(url: string): string {
  return url.replace(password, '$1@');
}

/** The engine a URL names (`postgres`, `mysql`, `sqlite`), from its scheme. */
export function engineOf(url: string): Dialect['engine'] {
  const scheme = /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase() ?? '';
  const engine = engines[scheme];
  if (!engine) {
    throw new ConfigError(
      `unsupported database URL ${redactUrl(url)}: expected postgres://, mysql://, mariadb:// or sqlite:`,
    );
  }
  return engine;
}

/** The file path in `sqlite:path/to/file.db` or `sqlite:///absolute/path.db`. */
export function sqlitePath(url: string): string {
  if (url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length);
    // `sqlite://a.db` would read as a host name in any other URL: ask for one clear spelling.
    if (!path.startsWith('/')) {
      throw new ConfigError(
        `a sqlite:// URL needs an absolute path (sqlite:///dir/file.db); write sqlite:${path} for a relative one`,
      );
    }
    return path;
  }
  if (url.startsWith('sqlite:') && url.length > 'sqlite:'.length) return url.slice('sqlite:'.length);
  throw new ConfigError(`not a SQLite URL (expected sqlite:path/to/file.db): ${url}`);
}
