import { redactUrl } from '../database-url.ts';
import { ConfigError } from '../../errors.ts';

/** The parts of a `mysql://` or `mariadb://` URL that a connection needs. */
export interface MysqlUrl {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  /** `?socket=/path` connects through a Unix socket instead of TCP. */
  socketPath?: string;
  /** The URL with the password replaced by `***`: the only form that may appear in messages. */
  redacted: string;
}

/**
 * Parses `mysql://user:pass@host:port/db` (or `mariadb://…`). Percent-escapes in the user and
 * password are decoded, so passwords holding `@` or `/` can be written as `%40` and `%2F`.
 */
export function parseMysqlUrl(text: string): MysqlUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // The text may hold a password: never echo it back.
    throw new ConfigError('not a valid mysql:// URL');
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    throw new ConfigError(`not a mysql:// or mariadb:// URL (scheme ${url.protocol})`);
  }
  const redacted = redactUrl(text);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) {
    throw new ConfigError(`${redacted}: the URL must name one database, e.g. mysql://user@host:3306/staging`);
  }
  const socketPath = url.searchParams.get('socket') ?? undefined;
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: url.port ? Number(url.port) : 3306,
    user: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database,
    ...(socketPath ? { socketPath } : {}),
    redacted,
  };
}
