/**
 * The small part of `pg` masque uses, so the driver stays replaceable, and the one place that
 * turns connection failures into masque's errors without the password.
 */
import pg from 'pg';
import { ConnectionLost, DatabaseError } from '../../errors.ts';
import { LossListeners } from '../loss-listeners.ts';
import { redactUrl } from '../database-url.ts';
import type { DialectOptions } from '../dialect.ts';
import { describeError, lossReason, withoutValues } from '../driver-error.ts';

/** What masque asks of a connection: one query at a time, rows as objects (`R`: what the SQL selects). */
export interface PgQueryable {
  query<R extends object = Record<string, unknown>>(
    sql: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** How long a statement waits for a lock another session holds, unless `lockTimeoutSeconds` says. */
export const defaultLockTimeoutSeconds = 60;
/** Idle this long, a connection is probed (TCP keepalive; Node then probes every second, 10 times). */
const keepAliveDelayMs = 10_000;
/** The longest wait for a server to accept a new connection. */
const connectTimeoutMs = 30_000;
/** The longest wait for a server to say goodbye when a connection is closed; then the socket is dropped. */
const endTimeoutMs = 1_000;

/** PostgreSQL's SQLSTATE of a statement that gave up waiting for a lock (`lock_timeout`). */
const lockNotAvailable = '55P03';

/** `error`, saying what masque was doing (`step`) when it is a lost connection; any other as it is. */
export function lostWhile(step: string, error: unknown): unknown {
  return error instanceof ConnectionLost ? error.during(step) : error;
}

/** One connection, on its own: no loss tracking (tests and tools). */
export async function connectPostgres(url: string, options: DialectOptions = {}): Promise<pg.Client> {
  const client = newClient(url, options);
  client.on('error', () => {}); // an error event without a listener crashes the process
  try {
    await client.connect();
    return client;
  } catch (error) {
    dropClient(client);
    throw new DatabaseError(`cannot connect to ${redactUrl(url)}: ${(error as Error).message}`);
  }
}

function newClient(url: string, { lockTimeoutSeconds = defaultLockTimeoutSeconds }: DialectOptions): pg.Client {
  return new pg.Client({
    connectionString: url,
    application_name: 'masque',
    keepAlive: true,
    keepAliveInitialDelayMillis: keepAliveDelayMs,
    connectionTimeoutMillis: connectTimeoutMs,
    // Not statement_timeout: a legitimate COPY of a big table takes as long as it takes.
    lock_timeout: lockTimeoutSeconds * 1000,
    // Sessions that wait idle while others work (the lock, the snapshot's first connection) are
    // not ended by the server's idle limits (idle_session_timeout is set after connecting: 14+ only).
    idle_in_transaction_session_timeout: 0,
  });
}

/** Drops the socket at once, whatever the connection was doing. */
function dropClient(client: pg.Client): void {
  (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
}

/**
 * Every connection a dialect opens to one database. The first connection that goes away (killed,
 * the server restarted, the network gone) makes the database lost: its other connections are
 * dropped, so that whatever they were doing fails at once too, and every failure from then on is
 * that ConnectionLost, saying which database and why. A statement that fails on a live connection
 * stays the driver's error (its caller names the table), except a lock timeout, said plainly.
 */
export class PgConnections {
  private readonly open = new Set<pg.Client>();
  /** Connections masque is closing itself: their failures are no loss. */
  private readonly closing = new WeakSet<pg.Client>();
  private connected = false;
  /** The first loss, once a connection has gone away. */
  lost?: ConnectionLost;

  constructor(
    private readonly url: string,
    private readonly options: DialectOptions = {},
  ) {}

  /** A new connection; the first one failing is "cannot connect", a later one a lost database. */
  async connect(): Promise<pg.Client> {
    if (this.lost) throw this.lost;
    const client = newClient(this.url, this.options);
    client.on('error', (error: Error) => this.failure(client, error, true));
    routeErrors(client, (error) => this.failure(client, error));
    this.open.add(client);
    try {
      await client.connect();
      await client.query("SELECT set_config(name, '0', false) FROM pg_settings WHERE name = 'idle_session_timeout'");
    } catch (error) {
      this.open.delete(client);
      dropClient(client);
      if (this.connected || this.lost) throw this.failure(client, error, true);
      throw new DatabaseError(`cannot connect to ${redactUrl(this.url)}: ${(error as Error).message}`);
    }
    this.connected = true;
    return client;
  }

  /**
   * The error to throw for `error`, which `client` met: once the database is lost, that loss; a
   * loss (or any error event, `broken`) makes it lost; a lock timeout says how long it waited.
   */
  failure(client: pg.Client, error: unknown, broken = false): unknown {
    if (error instanceof ConnectionLost) return error;
    if (this.lost) return this.lost;
    if (this.closing.has(client)) return error;
    const reason = lossReason(error) ?? (broken ? withoutValues(describeError(error)) : undefined);
    if (reason !== undefined) return this.loseAll(new ConnectionLost(this.options.side, redactUrl(this.url), reason));
    if ((error as { code?: string }).code === lockNotAvailable) {
      const seconds = this.options.lockTimeoutSeconds ?? defaultLockTimeoutSeconds;
      const waited = `waited more than ${seconds} s for a lock held by another session (the lock timeout)`;
      return Object.assign(new Error(waited), { code: lockNotAvailable });
    }
    return error;
  }

  /** Told of the first loss (see Dialect.onLost). */
  readonly losses = new LossListeners();

  private loseAll(lost: ConnectionLost): ConnectionLost {
    this.lost = lost;
    this.losses.tell(lost);
    for (const client of this.open) dropClient(client);
    this.open.clear();
    return lost;
  }

  /** Closes `client`, waiting a moment at most for the server (a dead one never answers). */
  async end(client: pg.Client): Promise<void> {
    this.closing.add(client);
    this.open.delete(client);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), endTimeoutMs);
    });
    const ended = await Promise.race([client.end().catch(() => {}), late]);
    clearTimeout(timer);
    if (ended === 'late') dropClient(client);
  }

  async close(): Promise<void> {
    await Promise.all([...this.open].map((client) => this.end(client)));
  }
}

/**
 * Makes every error of `client` go through `convert`: those of its queries (promises) and those
 * of its COPY streams (handed to the stream by the driver), so that a dead socket's `write EPIPE`
 * comes out of a COPY as the loss it is.
 */
function routeErrors(client: pg.Client, convert: (error: unknown) => unknown): void {
  type Submittable = { submit?: unknown; handleError?: (error: unknown, connection: unknown) => void };
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const routed = (...args: unknown[]): unknown => {
    const submittable = args[0] as Submittable | undefined;
    if (typeof submittable?.submit === 'function' && submittable.handleError) {
      const handle = submittable.handleError.bind(submittable);
      submittable.handleError = (error, connection) => handle(convert(error), connection);
    }
    const result = query(...args);
    return result instanceof Promise
      ? result.catch((error: unknown) => {
          throw convert(error);
        })
      : result;
  };
  client.query = routed as typeof client.query;
}
