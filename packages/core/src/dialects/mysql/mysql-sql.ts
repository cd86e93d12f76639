import { DatabaseError } from '../../errors.ts';
import type { Value } from '../dialect.ts';
import { withoutValues } from '../driver-error.ts';
import { quoteWith } from '../quote.ts';
import { stringLiteral, type MysqlSession } from './mysql-driver.ts';

/** A backtick-quoted identifier; a backtick inside the name is doubled. */
export function quoteIdentifier(name: string): string {
  return quoteWith('`', name);
}

/** A value as an SQL literal; binary values as hex literals so no character set touches them. */
export function sqlLiteral(value: Value, hex: boolean): string {
  if (value === null) return 'NULL';
  if (hex || Buffer.isBuffer(value)) {
    return `X'${(Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8')).toString('hex')}'`;
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  // Numbers are quoted too: the server converts '1e+21' or '0.1' exactly as it would unquoted.
  return stringLiteral(String(value));
}

/**
 * The LIKE pattern, as an SQL literal, of the names starting with one of masque's own prefixes
 * (`stagingNames`: no quote or backslash in them). `_` and `%` match only themselves: `\_` reads
 * the same whether or not the server's sql_mode has NO_BACKSLASH_ESCAPES.
 */
export function startingWith(prefix: string): string {
  return `'${prefix.replace(/[%_]/g, '\\$&')}%'`;
}

/**
 * Fails when a statement left warnings. LOAD DATA LOCAL turns even strict-mode errors into
 * warnings (too-long values are truncated, duplicate keys skipped), because the server cannot stop
 * the client's stream half-way: a warning here means the target would silently differ.
 */
export async function failOnWarnings(session: MysqlSession, subject: string, warningCount: number): Promise<void> {
  if (warningCount === 0) return;
  const warnings = (await session.rows('SHOW WARNINGS LIMIT 3')).filter(([level]) => level !== 'Note');
  if (warnings.length === 0) return;
  const listed = warnings.map(([, code, message]) => `${String(code)} ${withoutValues(String(message))}`).join('; ');
  throw new DatabaseError(`${subject}: ${warningCount} warning(s) would alter the data: ${listed}`);
}
