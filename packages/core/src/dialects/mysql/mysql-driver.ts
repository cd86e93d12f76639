/**
 * The only file that talks to mysql2. Everything else uses the small `MysqlSession` interface,
 * so the driver stays replaceable and the typing stays narrow.
 */
import { type Duplex, Readable } from 'node:stream';
import {
  createConnection,
  escape as escapeLiteral,
  type Connection,
  type ConnectionOptions,
  type TypeCast,
} from 'mysql2';
import { ConnectionLost, DatabaseError, type DatabaseSide } from '../../errors.ts';
import type { Row } from '../dialect.ts';
import { describeError, lossReason, statementError } from '../driver-error.ts';
import type { MysqlUrl } from './mysql-url.ts';

/** What a statement without a result set reports. */
export interface ExecResult {
  affectedRows: number;
  warningStatus: number;
}

/** When a batch of streamed rows is handed on: at this many rows or about this many bytes. */
export interface BatchLimits {
  rows: number;
  bytes: number;
}

/** One open connection, as the rest of the dialect uses it. */
export interface MysqlSession {
  /** Runs a query and returns its rows as arrays; `params` fill `?` placeholders client-side. */
  rows(sql: string, params?: unknown[]): Promise<Row[]>;
  /**
   * Runs a statement; `params` fill `?` placeholders client-side, `infile` answers the server's
   * request for a LOAD DATA LOCAL stream.
   */
  exec(sql: string, options?: { params?: unknown[]; infile?: () => Readable }): Promise<ExecResult>;
  /**
   * Streams a query's rows in batches (arrays of rows) of up to `rows` rows or about `bytes`
   * bytes of values; the connection pauses while a batch waits to be taken. `rawBytes`: spatial
   * and vector values as their bytes (mysql2 would parse them).
   */
  batches(sql: string, limits: BatchLimits, rawBytes?: boolean): AsyncIterable<Row[]>;
  /** Resolves once the socket has room again, so LOAD DATA input is not buffered without bound. */
  socketDrained(): Promise<void>;
  /** Ends the connection after the statements already sent; resolves once the socket is closed. */
  end(): Promise<void>;
  /** Closes the socket at once, failing a running statement; resolves once it is closed. */
  destroy(): Promise<void>;
}

// Spatial and vector values stay raw bytes: the dialect moves values, it never interprets them.
// Only for queries that read such a column, since mysql2 then calls the hook once for every field
// of every row. JSON needs none: `jsonStrings` keeps MySQL's JSON as text, and MariaDB's JSON is a
// LONGTEXT.
const keepBytes: TypeCast = (field, next) =>
  field.type === 'GEOMETRY' || field.type === 'VECTOR' ? field.buffer() : next();

/** Idle time before TCP keepalive probes start. */
const keepAliveDelayMs = 10_000;
/** How long `end()` waits for the server to close the connection after QUIT, before closing it. */
const endGraceMs = 2_000;

function connectionOptions(url: MysqlUrl): ConnectionOptions {
  return {
    host: url.host,
    port: url.port,
    user: url.user,
    password: url.password,
    database: url.database,
    ...(url.socketPath ? { socketPath: url.socketPath } : {}),
    charset: 'utf8mb4',
    rowsAsArray: true,
    // Dates, big integers and decimals as the server prints them: no precision or zone is lost.
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    jsonStrings: true,
    connectTimeout: 10_000,
    // A peer gone without a word (a host down, a network cut) is noticed by TCP keepalive probes,
    // sent once the connection has been idle this long.
    enableKeepAlive: true,
    keepAliveInitialDelay: keepAliveDelayMs,
  };
}

/** How a session is opened. */
export interface SessionOptions {
  /** Which of the run's databases this is, named when the connection is lost. */
  side?: DatabaseSide;
  /** Longest wait for another session's lock (metadata or row), in seconds. */
  lockTimeoutSeconds?: number;
  /** The dialect has connected before: a connect that fails now means the server went away. */
  reconnect?: boolean;
  /** Told when the connection is lost (not when masque closes it). */
  onLost?: (loss: ConnectionLost) => void;
}

/**
 * How long a statement waits for a lock another session holds, unless the dialect is told
 * otherwise: long enough for an application's own transactions to finish, short enough that a
 * nightly run stuck behind a forgotten one fails in time to be noticed. The servers' own defaults
 * are a year (`lock_wait_timeout`) and 50 s (`innodb_lock_wait_timeout`).
 */
export const defaultLockTimeoutSeconds = 60;

/** Opens one connection; a failure becomes a DatabaseError naming the URL without its password. */
export async function openSession(url: MysqlUrl, options: SessionOptions = {}): Promise<MysqlSession> {
  const conn = createConnection(connectionOptions(url));
  // An 'error' without a listener would crash the process; wrap() listens from then on.
  conn.on('error', () => {});
  await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))).catch(
    (err: unknown) => {
      conn.destroy();
      const reason = options.reconnect ? lossReason(err) : undefined;
      if (reason) throw new ConnectionLost(options.side, url.redacted, reason);
      throw new DatabaseError(`cannot connect to ${url.redacted}: ${scrub(describeError(err), url.password)}`);
    },
  );
  const session = wrap(conn, url, options);
  const wait = Math.max(1, Math.ceil(options.lockTimeoutSeconds ?? defaultLockTimeoutSeconds));
  try {
    // TIMESTAMP values are converted to and from the session zone: a fixed zone on both sides
    // makes them round-trip exactly, even across a daylight-saving change. Lock waits, for
    // metadata (DDL, LOCK TABLES) and for InnoDB rows, are bounded (defaultLockTimeoutSeconds).
    await session.exec("SET SESSION time_zone = '+00:00', lock_wait_timeout = ?, innodb_lock_wait_timeout = ?", {
      params: [wait, wait],
    });
  } catch (err) {
    await session.destroy();
    throw statementError(`setting up a connection to ${url.redacted}`, err);
  }
  return session;
}

/**
 * The session over one mysql2 connection. When the connection goes (killed, server restarted,
 * network gone), every statement and stream still running fails at once with one ConnectionLost,
 * and so does every later one: mysql2 alone would leave a streaming query unsettled for ever (it
 * has no callback to tell) and report the loss only as the connection's 'error' event.
 */
function wrap(conn: Connection, url: MysqlUrl, { side, onLost }: SessionOptions): MysqlSession {
  const socket = (conn as unknown as { stream: Duplex }).stream;
  // Both ways out wait for the socket to close: the server releases the connection's locks only
  // then, and a caller may go straight on to something those locks would block.
  const closed = new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
  /** Set once the connection is gone or being closed by us: every statement fails with it. */
  let gone: Error | undefined;
  let closing = false;
  /** How to fail each statement and stream still running. */
  const running = new Set<(err: Error) => void>();

  const lose = (err: unknown): Error => {
    if (!gone) {
      gone = closing
        ? new DatabaseError('the statement was stopped: masque closed its connection')
        : new ConnectionLost(side, url.redacted, lossReason(err) ?? mysqlLossReason(err) ?? 'the server closed it');
      if (gone instanceof ConnectionLost) onLost?.(gone);
    }
    for (const fail of running) fail(gone);
    running.clear();
    return gone;
  };
  // Every 'error' of the connection itself is fatal to it (mysql2 marks them so).
  conn.on('error', lose);
  socket.once('close', () => lose(undefined));
  /** A statement's error; the connection's loss when the error says it is gone. */
  const failure = (err: unknown): unknown => (isLoss(err) ? lose(err) : err);

  const statement = <T>(send: (done: (err: unknown, result?: unknown) => void) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (gone) return reject(gone);
      running.add(reject);
      send((err, result) => {
        running.delete(reject);
        if (err) reject(failure(err));
        else resolve(result as T);
      });
    });

  return {
    rows: (sql, params) => statement((done) => conn.query({ sql, values: params }, done)),
    exec: (sql, { params, infile } = {}) => {
      let input: Readable | undefined;
      const infileStreamFactory = infile && (() => (input = infile()));
      return statement<ExecResult>((done) =>
        conn.query({ sql, values: params, ...(infileStreamFactory && { infileStreamFactory }) }, done),
      ).catch((err: unknown) => {
        // mysql2 stops reading the file but leaves it open: end it, so its source is let go.
        input?.destroy();
        throw err;
      });
    },
    // Rows go into batches as mysql2 parses them, and only batches pass through a stream: a
    // stream of rows cost a push, an event and a promise per row (0.8 µs of CPU against 0.5 µs per
    // row read, 1M rows of the benchmark's orders).
    batches: (sql, limits, rawBytes = false) => {
      // One batch may wait: the next fills while it is taken, then the socket pauses. The socket
      // itself, not mysql2 (conn.pause), which would queue a copy of every packet of the chunk
      // it is parsing; those few rows go into the next batch instead.
      const out = new Readable({ objectMode: true, highWaterMark: 1, read: () => void socket.resume() });
      if (gone) return out.destroy(gone);
      const query = conn.query(rawBytes ? { sql, typeCast: keepBytes } : { sql });
      let batch: Row[] = [];
      let bytes = 0;
      const handOn = (): void => {
        const full = batch;
        batch = [];
        bytes = 0;
        if (!out.push(full)) socket.pause();
      };
      query.on('result', (row: Row) => {
        if (out.destroyed) return;
        batch.push(row);
        bytes += sizeOf(row);
        if (batch.length >= limits.rows || bytes >= limits.bytes) handOn();
      });
      query.on('end', () => {
        if (out.destroyed) return;
        if (batch.length > 0) handOn();
        out.push(null);
      });
      // Ahead of the other listeners: a statement killed with its connection fails the stream
      // (and every other statement) with the ConnectionLost.
      query.on('error', (err: unknown) => void out.destroy(failure(err) as Error));
      const fail = (err: Error): void => void out.destroy(err);
      running.add(fail);
      out.once('close', () => {
        running.delete(fail);
        // A consumer that stopped early leaves the socket paused: resumed, the rest is read and dropped.
        socket.resume();
      });
      return out;
    },
    socketDrained: () =>
      gone || !socket.writableNeedDrain
        ? Promise.resolve()
        : new Promise((resolve) => {
            const done = (): void => {
              socket.off('drain', done).off('close', done);
              resolve();
            };
            socket.once('drain', done).once('close', done);
          }),
    end: () => {
      closing = true;
      if (gone || socket.destroyed) {
        socket.destroy();
        return closed;
      }
      conn.end();
      // A server that never answers the QUIT would hold the socket open: close it after a while.
      const timer = setTimeout(() => socket.destroy(), endGraceMs);
      return closed.finally(() => clearTimeout(timer));
    },
    // Not conn.destroy(): it marks the connection as closing, and mysql2 then never settles the
    // statement that is running. Closing the socket underneath makes that statement fail.
    destroy: () => {
      closing = true;
      socket.destroy();
      return closed;
    },
  };
}

/** About the bytes a row's values take: strings and buffers by their length, others 8. */
function sizeOf(row: Row): number {
  let size = 0;
  for (const value of row) size += typeof value === 'string' || Buffer.isBuffer(value) ? value.length : 8;
  return size;
}

/** MariaDB's own words for a connection ended by the server, which mysql2 passes on as they are. */
function mysqlLossReason(err: unknown): string | undefined {
  const { code, errno } = (err ?? {}) as { code?: string; errno?: number };
  // An idle connection killed: mysql2 keeps the error's code but not its number.
  if (code === 'ER_CONNECTION_KILLED') return 'the server ended it (killed, or shutting down)';
  if (code === 'ER_SERVER_SHUTDOWN' || errno === 1053) return 'the server is shutting down';
  return undefined;
}

/** Whether a statement's error means its connection is gone, rather than the statement failed. */
function isLoss(err: unknown): boolean {
  return (
    lossReason(err) !== undefined || mysqlLossReason(err) !== undefined || (err as { fatal?: boolean }).fatal === true
  );
}

/** A string as a quoted SQL literal, escaped as the driver escapes `params`. */
export function stringLiteral(text: string): string {
  return escapeLiteral(text);
}

/** Drops a password from a message, in case a driver or server ever echoes it. */
function scrub(message: string, password: string): string {
  return password.length >= 4 ? message.split(password).join('***') : message;
}

/**
 * Ends a transaction with `statement` (COMMIT or ROLLBACK) and closes the session. A connection
 * already gone is fine: the server rolls back an open transaction when its connection ends.
 */
export async function endSession(session: MysqlSession, statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
  try {
    await session.exec(statement);
    await session.end();
  } catch {
    await session.destroy();
  }
}
