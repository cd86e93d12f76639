import type pg from 'pg';
import type { LockAttempt } from '../dialect.ts';
import type { PgConnections } from './postgres-driver.ts';

/** The advisory lock's two keys: 'masq' and 1. Advisory locks are per database already. */
export const runLockKeys = [0x6d617371, 1];
const keys = runLockKeys;

/**
 * Takes the run lock with `pg_try_advisory_lock` on `client`, a connection of its own that holds
 * the lock for the whole run. The server releases a session lock when the session ends, so a run
 * that is killed (even `kill -9`) frees it as soon as its connection drops; and should that
 * connection drop while the run goes on, the database is lost (`PgConnections`): the run fails.
 */
export async function tryLockPostgres(client: pg.Client, connections: PgConnections): Promise<LockAttempt> {
  const { rows } = await client.query('SELECT pg_try_advisory_lock($1, $2) AS ok', keys);
  if (rows[0].ok) return { acquired: true, release: () => connections.end(client) };
  const holder = await client.query(
    `SELECT a.pid, a.application_name, a.client_addr, a.backend_start
     FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
     WHERE l.locktype = 'advisory' AND l.granted
       AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 2`,
    keys,
  );
  await connections.end(client);
  const h = holder.rows[0];
  const from = h?.client_addr ? ` from ${h.client_addr}` : '';
  const since = h ? new Date(h.backend_start).toISOString() : '';
  const who = h
    ? `server process ${h.pid} (${h.application_name || 'no name'}${from}, connected ${since})`
    : 'another session';
  return { acquired: false, holder: `${who} holds the advisory lock` };
}
