import { DatabaseError } from '../../errors.ts';
import { withoutValues } from '../driver-error.ts';
import type { MysqlSession } from './mysql-connection.ts';

/** A backtick-quoted identifier; a backtick inside the name is doubled. */
export function quoteId(name: string): string {
  return '`' + name.replaceAll('`', '``') + '`';
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
