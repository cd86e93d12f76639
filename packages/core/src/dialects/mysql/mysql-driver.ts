/**
 * The only file that talks to mysql2. Everything else uses the small `MysqlSession` interface,
 * so the driver stays replaceable and the typing stays narrow.
 */
import type { Duplex, Readable } from 'node:stream';
import {
  createConnection,
  escape as escapeLiteral,
  type Connection,
  type ConnectionOptions,
  type TypeCast,
} from 'mysql2';
import { DatabaseError } from '../../errors.ts';
import type { Row } from '../dialect.ts';
import { describeError } from '../driver-error.ts';
import type { MysqlUrl } from './mysql-url.ts';

/** What a statement without a result set reports. */
export interface ExecResult {
  affectedRows: number;
  warningStatus: number;
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
   * Streams a query's rows (arrays); the connection pauses while the stream's buffer is full.
   * `rawBytes`: spatial and vector values as their bytes (mysql2 would parse them).
   */
  stream(sql: string, highWaterMark: number, rawBytes?: boolean): Readable;
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
  };
}

/** Opens one connection; a failure becomes a DatabaseError naming the URL without its password. */
export async function openSession(url: MysqlUrl): Promise<MysqlSession> {
  const conn = createConnection(connectionOptions(url));
  // A connection dropped while idle emits 'error'; without a listener that would crash the
  // process. The next statement on it fails with a clear error instead.
  conn.on('error', () => {});
  await new Promise<void>((resolve, reject) => conn.connect((err) => (err ? reject(err) : resolve()))).catch(
    (err: unknown) => {
      conn.destroy();
      throw new DatabaseError(`cannot connect to ${url.redacted}: ${scrub(describeError(err), url.password)}`);
    },
  );
  const session = wrap(conn);
  // TIMESTAMP values are converted to and from the session zone: a fixed zone on both sides
  // makes them round-trip exactly, even across a daylight-saving change.
  await session.exec("SET SESSION time_zone = '+00:00'");
  return session;
}

function wrap(conn: Connection): MysqlSession {
  const socket = (conn as unknown as { stream: Duplex }).stream;
  // Both ways out wait for the socket to close: the server releases the connection's locks only
  // then, and a caller may go straight on to something those locks would block.
  const closed = new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
  return {
    rows: (sql, params) =>
      new Promise((resolve, reject) =>
        conn.query({ sql, values: params }, (err, rows) => (err ? reject(err) : resolve(rows as unknown as Row[]))),
      ),
    exec: (sql, { params, infile } = {}) =>
      new Promise((resolve, reject) =>
        conn.query({ sql, values: params, ...(infile ? { infileStreamFactory: infile } : {}) }, (err, result) =>
          err ? reject(err) : resolve(result as unknown as ExecResult),
        ),
      ),
    stream: (sql, highWaterMark, rawBytes = false) =>
      conn.query(rawBytes ? { sql, typeCast: keepBytes } : { sql }).stream({ highWaterMark }),
    socketDrained: () =>
      socket.writableNeedDrain ? new Promise((resolve) => socket.once('drain', () => resolve())) : Promise.resolve(),
    end: () => {
      conn.end();
      return closed;
    },
    // Not conn.destroy(): it marks the connection as closing, and mysql2 then never settles the
    // statement that is running. Closing the socket underneath makes that statement fail.
    destroy: () => {
      socket.destroy();
      return closed;
    },
  };
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
