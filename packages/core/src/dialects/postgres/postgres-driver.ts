/**
 * The small part of `pg` masque uses, so the driver stays replaceable, and the one place that
 * turns connection failures into DatabaseErrors without the password.
 */
import pg from 'pg';
import { DatabaseError } from '../../errors.ts';
import { redactUrl } from '../database-url.ts';

/** What masque asks of a connection: one query at a time, rows as objects (`R`: what the SQL selects). */
export interface PgQueryable {
  query<R extends object = Record<string, unknown>>(
    sql: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

export async function connectPostgres(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, application_name: 'masque' });
  // An idle client can still get an error event (server restart); without a listener Node crashes.
  client.on('error', () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw new DatabaseError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
  }
}
