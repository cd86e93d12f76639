/**
 * The one way a driver's error becomes a message, for every engine: what failed (a table,
 * usually), the server's words and PostgreSQL's detail, with every row value blanked to `…`.
 * Servers quote the values they refuse (MariaDB `Duplicate entry 'alice@…' for key 'email'`,
 * PostgreSQL `Key (email)=(alice@…) already exists.`); masked or not, a value stays out of
 * messages and logs. Names of tables, columns, keys and constraints stay: they say what to fix.
 */
import { ConnectionLost, DatabaseError, MasqueError } from '../errors.ts';

/** `CODE (errno): message` of a driver error (MariaDB), then PostgreSQL's detail; not redacted. */
export function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const { code, errno, detail } = err as Error & { code?: string; errno?: number; detail?: string };
  const message = code && errno && !err.message.startsWith(code) ? `${code} (${errno}): ${err.message}` : err.message;
  return detail ? `${message}; ${detail}` : message;
}

/**
 * Values whose own quotes or parentheses would end a shorter match: blanked up to the last
 * closing mark of their message (servers print values as they are, unescaped).
 */
const wholeValues: [RegExp, string][] = [
  [/\)=\([\s\S]*\)/, ')=(…)'], // PostgreSQL: Key (columns)=(values) already exists / is not present …
  [/\bFailing row contains \([\s\S]*\)/, 'Failing row contains (…)'], // PostgreSQL, a CHECK or NOT NULL
  [/\bDuplicate entry '[\s\S]*'(?= for key )/, "Duplicate entry '…'"], // MariaDB
];

/**
 * A quoted part (`'…'` or `"…"`, from a quote after no letter to one before none): kept after
 * these words, which name something; any other is a value.
 */
const namingWords =
  'column|field|key|index|table|constraint|database|user|relation|schema|sequence|trigger|view|function|type|role';
const quoted = new RegExp(String.raw`(\b(?:${namingWords})\s+)?(?<!\w)(['"])[\s\S]*?\2(?!\w)`, 'gi');

/** The message with every value blanked, and the names kept. */
export function withoutValues(message: string): string {
  const blanked = wholeValues.reduce((text, [pattern, blank]) => text.replace(pattern, blank), message);
  return blanked.replace(quoted, (text: string, keep: string | undefined, quote: string) =>
    keep ? text : `${quote}…${quote}`,
  );
}

/**
 * Why a driver error means the connection is gone, in plain words; undefined when the connection
 * is still there (the statement failed, the session lives on).
 */
export function lossReason(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, errno } = err as Error & { code?: string; errno?: number };
  // MariaDB ER_CONNECTION_KILLED, PostgreSQL admin_shutdown (pg_terminate_backend, a fast shutdown).
  if (errno === 1927 || code === '57P01') return 'the server ended it (killed, or shutting down)';
  if (code === '57P02' || code === '57P03') return 'the server is restarting';
  if (code === 'ETIMEDOUT') return 'no answer from the server in time';
  if (code === 'ECONNREFUSED') return 'the server refused to connect again';
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'PROTOCOL_CONNECTION_LOST') return 'the server closed it';
  if (/^Connection terminated( unexpectedly)?$|^Client has encountered a connection error/.test(err.message)) {
    return 'the server closed it';
  }
  return undefined;
}

/** A DatabaseError for a failed statement about `subject` (a table, usually), without row values. */
export function statementError(subject: string, err: unknown): MasqueError {
  if (err instanceof ConnectionLost) return err.during(subject);
  if (err instanceof MasqueError) return err;
  return new DatabaseError(`${subject}: ${withoutValues(describeError(err))}`);
}
