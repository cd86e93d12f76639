import { createHash } from 'node:crypto';
import type { LockAttempt } from '../dialect.ts';
import type { MysqlSession } from './mysql-driver.ts';

/** `masque:<database>`, hashed when longer than the 64 characters a lock name may have. */
function lockName(database: string): string {
  const name = `masque:${database}`;
  return name.length <= 64 ? name : `masque:${createHash('sha256').update(database).digest('hex').slice(0, 40)}`;
}

/**
 * Takes the run lock with `GET_LOCK('masque:<database>', 0)` on `session`, a connection of its
 * own that holds it for the whole run. The server releases it when the connection ends, so a run
 * that is killed (even `kill -9`) frees it as soon as its socket closes.
 */
export async function tryLockMysql(session: MysqlSession, database: string): Promise<LockAttempt> {
  const name = lockName(database);
  const [[ok] = []] = await session.rows('SELECT GET_LOCK(?, 0)', [name]);
  if (Number(ok) === 1) return { acquired: true, release: () => session.end().catch(() => session.destroy()) };
  const [[id] = []] = await session.rows('SELECT IS_USED_LOCK(?)', [name]);
  const [info] =
    id === null || id === undefined
      ? []
      : await session.rows('SELECT HOST FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
  await session.end().catch(() => session.destroy());
  const who = info ? `connection ${String(id)} (from ${String(info[0])})` : 'another connection';
  return { acquired: false, holder: `${who} holds the lock ${name}` };
}
